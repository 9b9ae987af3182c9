"""Accompagnement's SQL: cases and their stage history, written with their events."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg

from centrale.events import Event
from centrale.outbox import record_event

SERVICE = "accompagnement"
CASE_COLUMNS = ("id, structure_id, tender_id, title, stage, workflow_id, opened_by, opened_at,"
                " updated_at")


def open_case(conn: psycopg.Connection, structure_id: int, tender_id: int | None, title: str,
              opened_by: str) -> dict[str, Any]:
    case = conn.execute(
        f"INSERT INTO cases (structure_id, tender_id, title, opened_by) VALUES (%s, %s, %s, %s)"
        f" RETURNING {CASE_COLUMNS}",
        (structure_id, tender_id, title, opened_by),
    ).fetchone()
    # Unique beyond this database's ids: a rebuilt database must not meet an old workflow.
    workflow_id = f"case-{case['id']}-{uuid.uuid4().hex[:12]}"
    conn.execute("UPDATE cases SET workflow_id = %s WHERE id = %s", (workflow_id, case["id"]))
    case["workflow_id"] = workflow_id
    record_event(conn, Event(
        type="case.opened", subject=f"case:{case['id']}", producer=SERVICE,
        data={"case_id": case["id"], "structure_id": structure_id, "tender_id": tender_id,
              "title": title},
    ))
    return case


def record_stage_change(conn: psycopg.Connection, case_id: int, step: int, from_stage: str,
                        to_stage: str, changed_by: str, reason: str | None) -> bool:
    """Mirror one stage change of the workflow; False when that step was already recorded."""
    inserted = conn.execute(
        "INSERT INTO case_stage_history (case_id, step, from_stage, to_stage, changed_by, reason)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (case_id, step) DO NOTHING RETURNING id",
        (case_id, step, from_stage, to_stage, changed_by, reason),
    ).fetchone()
    if inserted is None:
        return False
    conn.execute("UPDATE cases SET stage = %s, updated_at = now() WHERE id = %s",
                 (to_stage, case_id))
    record_event(conn, Event(
        type="case.stage_changed", subject=f"case:{case_id}", producer=SERVICE,
        data={"case_id": case_id, "from": from_stage, "to": to_stage, "by": changed_by,
              "reason": reason},
    ))
    return True


def get_case(conn: psycopg.Connection, case_id: int) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {CASE_COLUMNS} FROM cases WHERE id = %s", (case_id,)).fetchone()


def list_cases(conn: psycopg.Connection, structure_id: int | None, stage: str | None,
               limit: int, offset: int) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {CASE_COLUMNS} FROM cases WHERE (%(structure)s::bigint IS NULL OR"
        " structure_id = %(structure)s) AND (%(stage)s::text IS NULL OR stage = %(stage)s)"
        " ORDER BY updated_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s",
        {"structure": structure_id, "stage": stage, "limit": limit, "offset": offset},
    ).fetchall()


def stage_history(conn: psycopg.Connection, case_id: int) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT from_stage, to_stage, changed_by, reason, changed_at FROM case_stage_history"
        " WHERE case_id = %s ORDER BY step", (case_id,),
    ).fetchall()
