"""Notifications' own directory, kept from events: structures and their contacts, cases, and
consortium invitations; and the events parked until their structure is known."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from centrale.events import Event
from centrale.tracing import current_carrier

from ..domain.recipients import (CaseCard, Directory, Invitation, Person, References,
                                 StructureCard, normalize_email, person_from)


def apply_structure(conn: psycopg.Connection, event: Event, data: Mapping[str, Any]) -> bool:
    """Record a structure and its contacts; False if a newer event already described it."""
    row = conn.execute(
        "INSERT INTO directory_structures (structure_id, legal_name, siret, category, departement,"
        " source_event_id, source_occurred_at) VALUES (%s, %s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (structure_id) DO UPDATE SET legal_name = EXCLUDED.legal_name,"
        " siret = EXCLUDED.siret, category = EXCLUDED.category,"
        " departement = EXCLUDED.departement, source_event_id = EXCLUDED.source_event_id,"
        " source_occurred_at = EXCLUDED.source_occurred_at, updated_at = now()"
        " WHERE directory_structures.source_occurred_at <= EXCLUDED.source_occurred_at"
        " RETURNING structure_id",
        (data["structure_id"], data["legal_name"], data.get("siret"), data.get("category"),
         data.get("departement"), event.id, event.occurred_at),
    ).fetchone()
    if row is None:
        return False
    conn.execute("DELETE FROM directory_contacts WHERE structure_id = %s", (data["structure_id"],))
    seen: set[str] = set()
    for position, contact in enumerate(data.get("contacts") or []):
        email = normalize_email(contact["email"])
        if email in seen:
            continue
        seen.add(email)
        conn.execute(
            "INSERT INTO directory_contacts (structure_id, email, name, role, person_id, position)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (data["structure_id"], email, contact.get("name"), contact.get("role"),
             contact.get("id"), position),
        )
    return True


def mirror_case(conn: psycopg.Connection, event_type: str, data: Mapping[str, Any]) -> None:
    """Keep what later events about a case may omit: its structure, title, advisor, stage."""
    if data.get("case_id") is None or not (event_type.startswith("case.")
                                           or event_type == "diagnosis.completed"):
        return
    advisor = person_from(data.get("advisor"))
    stage = data.get("to") if event_type == "case.stage_changed" else data.get("stage")
    conn.execute(
        "INSERT INTO directory_cases (case_id, structure_id, title, advisor, stage)"
        " VALUES (%(case)s, %(structure)s, %(title)s, %(advisor)s, %(stage)s)"
        " ON CONFLICT (case_id) DO UPDATE SET"
        " structure_id = COALESCE(EXCLUDED.structure_id, directory_cases.structure_id),"
        " title = COALESCE(EXCLUDED.title, directory_cases.title),"
        " advisor = COALESCE(EXCLUDED.advisor, directory_cases.advisor),"
        " stage = COALESCE(EXCLUDED.stage, directory_cases.stage), updated_at = now()",
        {"case": data["case_id"], "structure": data.get("structure_id"),
         "title": data.get("title"), "stage": stage,
         "advisor": Jsonb({"email": advisor.email, "name": advisor.name}) if advisor else None},
    )


def record_invitation(conn: psycopg.Connection, data: Mapping[str, Any],
                      occurred_at: datetime) -> None:
    conn.execute(
        "INSERT INTO consortium_invitations (case_id, structure_id, lead_structure_id, title,"
        " role, invited_at) VALUES (%s, %s, %s, %s, %s, %s)"
        " ON CONFLICT (case_id, structure_id) DO UPDATE SET"
        " lead_structure_id = EXCLUDED.lead_structure_id, title = EXCLUDED.title,"
        " role = EXCLUDED.role, invited_at = EXCLUDED.invited_at",
        (data["case_id"], data["structure_id"], data["lead_structure_id"], data.get("title"),
         data.get("role"), occurred_at),
    )


def load(conn: psycopg.Connection, refs: References) -> Directory:
    """What the directory knows about the structures, cases and invitations of ``refs``."""
    cases = {}
    for row in conn.execute("SELECT case_id, structure_id, title, advisor FROM directory_cases"
                            " WHERE case_id = ANY(%s)", (list(refs.case_ids),)):
        advisor = row["advisor"] or {}
        cases[row["case_id"]] = CaseCard(
            row["case_id"], row["structure_id"], row["title"],
            Person(advisor["email"], advisor.get("name")) if advisor.get("email") else None)
    invitations = {}
    for case_id, structure_id in refs.invitations:
        row = conn.execute("SELECT lead_structure_id, title FROM consortium_invitations"
                           " WHERE case_id = %s AND structure_id = %s",
                           (case_id, structure_id)).fetchone()
        if row is not None:
            invitations[(case_id, structure_id)] = Invitation(
                case_id, structure_id, row["lead_structure_id"], row["title"])
    structure_ids = set(refs.structure_ids)
    structure_ids |= {c.structure_id for c in cases.values() if c.structure_id is not None}
    structure_ids |= {i.lead_structure_id for i in invitations.values()}
    structures = {}
    for row in conn.execute("SELECT structure_id, legal_name FROM directory_structures"
                            " WHERE structure_id = ANY(%s)", (list(structure_ids),)):
        contacts = conn.execute(
            "SELECT email, name FROM directory_contacts WHERE structure_id = %s"
            " ORDER BY position", (row["structure_id"],)).fetchall()
        structures[row["structure_id"]] = StructureCard(
            row["structure_id"], row["legal_name"],
            tuple(Person(c["email"], c["name"]) for c in contacts))
    return Directory(structures, cases, invitations)


def structure_name(conn: psycopg.Connection, structure_id: int) -> str | None:
    row = conn.execute("SELECT legal_name FROM directory_structures WHERE structure_id = %s",
                       (structure_id,)).fetchone()
    return row["legal_name"] if row else None


def lock_structure(conn: psycopg.Connection, structure_id: int) -> None:
    """Serialise, for one structure, its arrival and the parking of events about it (two bus
    processes may run): an event never parks after its structure took the parked ones."""
    conn.execute("SELECT pg_advisory_xact_lock(hashtextextended('notifications.structure', %s))",
                 (structure_id,))


def known(conn: psycopg.Connection, structure_ids: list[int]) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM directory_structures"
                        " WHERE structure_id = ANY(%s)) AS known",
                        (structure_ids,)).fetchone()["known"]


def park(conn: psycopg.Connection, event: Event, structure_id: int) -> None:
    """Keep ``event`` until ``structure_id`` is known, with the trace it arrived in."""
    trace = current_carrier()
    conn.execute(
        "INSERT INTO parked_events (event_id, structure_id, envelope, trace_context)"
        " VALUES (%s, %s, %s, %s) ON CONFLICT DO NOTHING",
        (event.id, structure_id, Jsonb(event.to_message()), Jsonb(trace) if trace else None),
    )


def take_parked(conn: psycopg.Connection,
                structure_id: int) -> list[tuple[dict[str, Any], dict | None]]:
    """Remove and return the events parked for ``structure_id`` with their trace contexts,
    oldest first."""
    rows = conn.execute(
        "DELETE FROM parked_events WHERE structure_id = %s"
        " RETURNING envelope, trace_context, parked_at", (structure_id,)).fetchall()
    return [(row["envelope"], row["trace_context"])
            for row in sorted(rows, key=lambda r: r["parked_at"])]
