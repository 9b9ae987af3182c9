"""What the case workflow announces (reminders, missed deadlines, idle stages), each once."""

from __future__ import annotations

import psycopg

from .cases import get_case
from .events import emit, person


def _first_time(conn: psycopg.Connection, case_id: int, kind: str, key: str) -> bool:
    return conn.execute(
        "INSERT INTO case_alerts (case_id, kind, key) VALUES (%s, %s, %s)"
        " ON CONFLICT DO NOTHING RETURNING case_id", (case_id, kind, key)).fetchone() is not None


def _about(case: dict) -> dict:
    return {"case_id": case["id"], "structure_id": case["structure_id"], "title": case["title"],
            "advisor": person(case)}


def _tender_closed(conn: psycopg.Connection, case_id: int) -> bool:
    row = conn.execute("SELECT t.result FROM cases c JOIN tenders t ON t.id = c.tender_id"
                       " WHERE c.id = %s", (case_id,)).fetchone()
    return row is not None and row["result"] is not None


def deadline_reminder(conn: psycopg.Connection, case_id: int, deadline: str, days_before: int,
                      stage: str) -> bool:
    """Remind a case of its deadline, once per (deadline, day) — never for a tender already
    awarded, declared unsuccessful or cancelled: there is nothing left to deposit."""
    if _tender_closed(conn, case_id):
        return False
    if not _first_time(conn, case_id, "reminder", f"{deadline}|J-{days_before}"):
        return False
    emit(conn, "case.deadline_reminder", f"case:{case_id}", {
        **_about(get_case(conn, case_id)), "deadline": deadline, "days_before": days_before,
        "stage": stage})
    return True


def deadline_missed(conn: psycopg.Connection, case_id: int, deadline: str) -> bool:
    if not _first_time(conn, case_id, "deadline_missed", deadline):
        return False
    emit(conn, "case.deadline_missed", f"case:{case_id}",
         {**_about(get_case(conn, case_id)), "deadline": deadline})
    return True


def deposit_unconfirmed(conn: psycopg.Connection, case_id: int, deadline: str) -> bool:
    if not _first_time(conn, case_id, "deposit_unconfirmed", deadline):
        return False
    emit(conn, "case.deposit_unconfirmed", f"case:{case_id}",
         {**_about(get_case(conn, case_id)), "deadline": deadline})
    return True


def idle_escalated(conn: psycopg.Connection, case_id: int, stage: str, idle_since: str,
                   idle_days: int) -> bool:
    if not _first_time(conn, case_id, "idle_escalated", f"{stage}|{idle_since}"):
        return False
    emit(conn, "case.idle_escalated", f"case:{case_id}", {
        **_about(get_case(conn, case_id)), "stage": stage, "idle_since": idle_since,
        "idle_days": idle_days})
    return True


def tender_closed(conn: psycopg.Connection, case: dict, tender_id: int, result: str,
                  structure_told: bool) -> bool:
    """Tell an open case that its tender got its result (``case.tender_closed``), once."""
    if not _first_time(conn, case["id"], "tender_closed", result):
        return False
    emit(conn, "case.tender_closed", f"case:{case['id']}", {
        **_about(case), "tender_id": tender_id, "result": result,
        "structure_told": structure_told})
    return True
