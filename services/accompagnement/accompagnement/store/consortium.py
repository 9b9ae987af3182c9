"""A case's groupement: the lead structure, the partners invited, their answers, roles, shares."""

from __future__ import annotations

from typing import Any

import psycopg

from .events import emit

MEMBER_SELECT = (
    "SELECT m.id, m.case_id, m.structure_id, m.role, m.share_percent, m.lot_numbers, m.status,"
    " m.message,"
    " m.answer_comment, m.invited_by, m.invited_at, m.answered_at, s.legal_name, s.category,"
    " s.departement FROM consortium_members m JOIN structures s ON s.id = m.structure_id")


class AlreadyInvited(Exception):
    pass


def members(conn: psycopg.Connection, case_id: int) -> list[dict[str, Any]]:
    return conn.execute(f"{MEMBER_SELECT} WHERE m.case_id = %s ORDER BY m.status = 'lead' DESC,"
                        " m.invited_at, m.id", (case_id,)).fetchall()


def member(conn: psycopg.Connection, case_id: int, structure_id: int) -> dict[str, Any] | None:
    return conn.execute(f"{MEMBER_SELECT} WHERE m.case_id = %s AND m.structure_id = %s",
                        (case_id, structure_id)).fetchone()


def _ensure_lead(conn: psycopg.Connection, case: dict[str, Any], by: str) -> None:
    conn.execute(
        "INSERT INTO consortium_members (case_id, structure_id, role, status, invited_by)"
        " VALUES (%s, %s, 'mandataire', 'lead', %s) ON CONFLICT (case_id, structure_id) DO NOTHING",
        (case["id"], case["structure_id"], by))


def invite(conn: psycopg.Connection, case: dict[str, Any], structure_id: int, role: str,
           message: str | None, by: str) -> dict[str, Any]:
    _ensure_lead(conn, case, by)
    inserted = conn.execute(
        "INSERT INTO consortium_members (case_id, structure_id, role, status, message, invited_by)"
        " VALUES (%s, %s, %s, 'invited', %s, %s) ON CONFLICT (case_id, structure_id) DO NOTHING"
        " RETURNING id", (case["id"], structure_id, role, message, by)).fetchone()
    if inserted is None:
        raise AlreadyInvited(structure_id)
    emit(conn, "consortium.invited", f"case:{case['id']}", {
        "case_id": case["id"], "lead_structure_id": case["structure_id"],
        "structure_id": structure_id, "title": case["title"], "role": role})
    return member(conn, case["id"], structure_id)


def answer(conn: psycopg.Connection, case: dict[str, Any], structure_id: int, accepted: bool,
           comment: str | None) -> dict[str, Any] | None:
    """Record the invited partner's answer; None when there is no invitation waiting."""
    updated = conn.execute(
        "UPDATE consortium_members SET status = %s, answer_comment = %s, answered_at = now()"
        " WHERE case_id = %s AND structure_id = %s AND status = 'invited' RETURNING id",
        ("accepted" if accepted else "declined", comment, case["id"], structure_id)).fetchone()
    if updated is None:
        return None
    emit(conn, "consortium.answered", f"case:{case['id']}", {
        "case_id": case["id"], "structure_id": structure_id, "accepted": accepted})
    return member(conn, case["id"], structure_id)


def set_composition(conn: psycopg.Connection, case_id: int,
                    composition: list[dict[str, Any]]) -> None:
    """Roles and shares of the members listed (the others are left out of the groupement);
    the case's groupement is formed (dated once)."""
    conn.execute("UPDATE consortium_members SET share_percent = NULL, lot_numbers = '{}'"
                 " WHERE case_id = %s", (case_id,))
    for entry in composition:
        conn.execute("UPDATE consortium_members SET role = %s, share_percent = %s,"
                     " lot_numbers = %s WHERE case_id = %s AND structure_id = %s",
                     (entry["role"], entry["share_percent"], list(entry.get("lot_numbers") or []),
                      case_id, entry["structure_id"]))
    conn.execute("UPDATE cases SET consortium_formed_at = coalesce(consortium_formed_at, now()),"
                 " updated_at = now() WHERE id = %s", (case_id,))


def invitations_of(conn: psycopg.Connection, structure_id: int) -> list[dict[str, Any]]:
    """The groupements a structure was invited to, with the case's title and lead."""
    return conn.execute(
        "SELECT m.case_id, c.title, c.deadline, c.structure_id AS lead_structure_id,"
        " lead.legal_name AS lead_name, m.role, m.status, m.message, m.invited_at, m.answered_at"
        " FROM consortium_members m JOIN cases c ON c.id = m.case_id"
        " JOIN structures lead ON lead.id = c.structure_id"
        " WHERE m.structure_id = %s AND m.status <> 'lead' ORDER BY m.invited_at DESC",
        (structure_id,)).fetchall()
