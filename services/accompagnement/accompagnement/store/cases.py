"""Cases and their stage history, mirrored from the CaseWorkflow, written with their events."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any, Sequence

import psycopg

from centrale.french import euros
from ..domain.stages import TERMINAL_STAGES, Stage
from . import audit
from .events import emit, iso, person

TERMINAL = [stage.value for stage in TERMINAL_STAGES]

CASE_SELECT = (
    "SELECT c.id, c.structure_id, c.tender_id, c.title, c.stage, c.workflow_id, c.opened_by,"
    " c.opened_at, c.updated_at, c.kind, c.buyer_name, c.deadline, c.lot_numbers, c.advisor_id,"
    " c.reminder_days, c.min_headcount, c.min_annual_turnover, c.submitted_at, c.decided_at,"
    " c.closed_at, c.outcome_amount, c.buyer_feedback, c.consortium_formed_at,"
    " a.name AS advisor_name, a.email AS advisor_email, s.legal_name AS structure_name,"
    " t.buyer_name AS tender_buyer_name"
    " FROM cases c LEFT JOIN advisors a ON a.id = c.advisor_id"
    " LEFT JOIN structures s ON s.id = c.structure_id LEFT JOIN tenders t ON t.id = c.tender_id"
)


def open_case(conn: psycopg.Connection, structure_id: int, tender_id: int | None, title: str,
              opened_by: str, *, kind: str = "tender", buyer_name: str | None = None,
              deadline=None, lot_numbers: Sequence[str] = (), advisor_id: int | None = None,
              reminder_days: Sequence[int] | None = None, min_headcount: int | None = None,
              min_annual_turnover: Decimal | None = None) -> dict[str, Any]:
    case_id = conn.execute(
        "INSERT INTO cases (structure_id, tender_id, title, opened_by, kind, buyer_name, deadline,"
        " lot_numbers, advisor_id, reminder_days, min_headcount, min_annual_turnover)"
        " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (structure_id, tender_id, title, opened_by, kind, buyer_name, deadline, list(lot_numbers),
         advisor_id, list(reminder_days) if reminder_days is not None else None, min_headcount,
         min_annual_turnover),
    ).fetchone()["id"]
    # Unique beyond this database's ids: a rebuilt database must not meet an old workflow.
    workflow_id = f"case-{case_id}-{uuid.uuid4().hex[:12]}"
    conn.execute("UPDATE cases SET workflow_id = %s WHERE id = %s", (workflow_id, case_id))
    case = get_case(conn, case_id)
    emit(conn, "case.opened", f"case:{case_id}", {
        "case_id": case_id, "structure_id": structure_id, "tender_id": tender_id, "title": title,
        "advisor": person(case), "deadline": iso(case["deadline"])})
    return case


def record_stage_change(conn: psycopg.Connection, case_id: int, step: int, from_stage: str,
                        to_stage: str, changed_by: str, reason: str | None, *,
                        amount: Decimal | None = None, feedback: str | None = None) -> bool:
    """Mirror one stage change of the workflow; False when that step was already recorded.

    Reaching "awaiting_result" dates the deposit, "won" or "lost" records the outcome (with
    ``case.outcome_recorded``), any terminal stage closes the case.
    """
    inserted = conn.execute(
        "INSERT INTO case_stage_history (case_id, step, from_stage, to_stage, changed_by, reason)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (case_id, step) DO NOTHING RETURNING id",
        (case_id, step, from_stage, to_stage, changed_by, reason),
    ).fetchone()
    if inserted is None:
        return False
    target = Stage(to_stage)
    outcome = target in (Stage.WON, Stage.LOST)
    conn.execute(
        "UPDATE cases SET stage = %(to)s, updated_at = now(),"
        " submitted_at = CASE WHEN %(submitted)s THEN now() ELSE submitted_at END,"
        " decided_at = CASE WHEN %(outcome)s THEN now() ELSE decided_at END,"
        " outcome_amount = CASE WHEN %(outcome)s THEN %(amount)s ELSE outcome_amount END,"
        " buyer_feedback = CASE WHEN %(outcome)s THEN %(feedback)s ELSE buyer_feedback END,"
        " closed_at = CASE WHEN %(closed)s THEN now() ELSE closed_at END WHERE id = %(id)s",
        {"to": to_stage, "submitted": target is Stage.AWAITING_RESULT, "outcome": outcome,
         "amount": amount, "feedback": feedback, "closed": target.is_terminal, "id": case_id},
    )
    case = get_case(conn, case_id)
    emit(conn, "case.stage_changed", f"case:{case_id}", {
        "case_id": case_id, "structure_id": case["structure_id"], "title": case["title"],
        "from": from_stage, "to": to_stage, "by": changed_by, "reason": reason,
        "advisor": person(case)})
    if outcome:
        told = Stage(to_stage).label.lower() + (
            f", {euros(amount)} HT" if amount is not None else "")
        audit.record(conn, "case", case_id, "outcome", f"Résultat enregistré : {told}.",
                     changed_by, {"outcome": to_stage,
                                  "amount": None if amount is None else str(amount)})
        emit(conn, "case.outcome_recorded", f"case:{case_id}", {
            "case_id": case_id, "structure_id": case["structure_id"], "outcome": to_stage,
            "amount": None if amount is None else str(amount), "title": case["title"],
            "feedback": feedback})
    return True


def get_case(conn: psycopg.Connection, case_id: int) -> dict[str, Any] | None:
    return conn.execute(f"{CASE_SELECT} WHERE c.id = %s", (case_id,)).fetchone()


CASE_FILTERS = (
    " WHERE (%(structure)s::bigint IS NULL OR c.structure_id = %(structure)s)"
    " AND (%(stage)s::text IS NULL OR c.stage = %(stage)s)"
    " AND (%(advisor)s::bigint IS NULL OR c.advisor_id = %(advisor)s)"
    " AND (NOT %(unassigned)s OR c.advisor_id IS NULL)"
    " AND (%(tender)s::bigint IS NULL OR c.tender_id = %(tender)s)"
    " AND (NOT %(open)s OR c.stage <> ALL(%(terminal)s))"
    " AND (%(deadline_from)s::timestamptz IS NULL OR c.deadline >= %(deadline_from)s)"
    " AND (%(deadline_to)s::timestamptz IS NULL OR c.deadline <= %(deadline_to)s)"
    " AND (%(q)s::text IS NULL OR c.title ILIKE %(q)s OR s.legal_name ILIKE %(q)s"
    "      OR c.buyer_name ILIKE %(q)s OR t.buyer_name ILIKE %(q)s)"
)
# Soonest deadline first (cases without one last), or the latest changed first.
CASE_ORDERS = {"deadline": " ORDER BY c.deadline ASC NULLS LAST, c.id",
               "updated": " ORDER BY c.updated_at DESC, c.id DESC"}


def _case_filters(structure_id, stage, advisor_id, tender_id, open_only, deadline_from,
                  deadline_to, q, unassigned) -> dict[str, Any]:
    pattern = None
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return {"structure": structure_id, "stage": stage, "advisor": advisor_id,
            "tender": tender_id, "open": open_only, "terminal": TERMINAL,
            "deadline_from": deadline_from, "deadline_to": deadline_to, "q": pattern,
            "unassigned": unassigned}


def list_cases(conn: psycopg.Connection, structure_id: int | None, stage: str | None,
               limit: int, offset: int, *, advisor_id: int | None = None,
               tender_id: int | None = None, open_only: bool = False, deadline_from=None,
               deadline_to=None, q: str | None = None, sort: str = "updated",
               unassigned: bool = False) -> list[dict[str, Any]]:
    params = _case_filters(structure_id, stage, advisor_id, tender_id, open_only, deadline_from,
                           deadline_to, q, unassigned)
    return conn.execute(
        f"{CASE_SELECT}{CASE_FILTERS}{CASE_ORDERS[sort]} LIMIT %(limit)s OFFSET %(offset)s",
        {**params, "limit": limit, "offset": offset}).fetchall()


def count_cases(conn: psycopg.Connection, structure_id: int | None, stage: str | None, *,
                advisor_id: int | None = None, tender_id: int | None = None,
                open_only: bool = False, deadline_from=None, deadline_to=None,
                q: str | None = None, unassigned: bool = False) -> int:
    params = _case_filters(structure_id, stage, advisor_id, tender_id, open_only, deadline_from,
                           deadline_to, q, unassigned)
    return conn.execute(
        "SELECT count(*) AS n FROM cases c LEFT JOIN structures s ON s.id = c.structure_id"
        f" LEFT JOIN tenders t ON t.id = c.tender_id{CASE_FILTERS}", params).fetchone()["n"]


def open_case_for(conn: psycopg.Connection, structure_id: int,
                  tender_id: int) -> dict[str, Any] | None:
    """The open case a structure already has for a tender (there is at most one)."""
    return conn.execute(
        f"{CASE_SELECT} WHERE c.structure_id = %s AND c.tender_id = %s AND c.stage <> ALL(%s)",
        (structure_id, tender_id, TERMINAL)).fetchone()


def move_deadline(conn: psycopg.Connection, case: dict[str, Any], deadline,
                  reason: str | None) -> bool:
    """Give the case a new deadline and say so (``case.deadline_changed``: calendars follow);
    False when it already had that deadline."""
    if case["deadline"] == deadline:
        return False
    update_case(conn, case["id"], {"deadline": deadline})
    emit(conn, "case.deadline_changed", f"case:{case['id']}", {
        "case_id": case["id"], "structure_id": case["structure_id"], "title": case["title"],
        "deadline": iso(deadline), "previous_deadline": iso(case["deadline"]),
        "reason": reason, "advisor": person(case)})
    return True


def reopen_missed(conn: psycopg.Connection, case: dict[str, Any], workflow_id: str,
                  reason: str) -> dict[str, Any] | None:
    """A missed case back at the stage it was missed in (its deadline moved later), under a
    new workflow id; None when it is not missed any more or its stage before is unknown."""
    last = conn.execute(
        "SELECT step, from_stage, to_stage FROM case_stage_history WHERE case_id = %s"
        " ORDER BY step DESC LIMIT 1", (case["id"],)).fetchone()
    if case["stage"] != Stage.MISSED.value or last is None or last["to_stage"] != "missed" \
            or last["from_stage"] is None:
        return None
    back = last["from_stage"]
    conn.execute(
        "INSERT INTO case_stage_history (case_id, step, from_stage, to_stage, changed_by, reason)"
        " VALUES (%s, %s, 'missed', %s, 'système', %s)", (case["id"], last["step"] + 1, back,
                                                          reason))
    conn.execute("UPDATE cases SET stage = %s, closed_at = NULL, workflow_id = %s,"
                 " updated_at = now() WHERE id = %s", (back, workflow_id, case["id"]))
    reopened = get_case(conn, case["id"])
    emit(conn, "case.stage_changed", f"case:{case['id']}", {
        "case_id": case["id"], "structure_id": case["structure_id"], "title": case["title"],
        "from": "missed", "to": back, "by": "système", "reason": reason,
        "advisor": person(reopened)})
    return reopened


def missed_cases_of_tender(conn: psycopg.Connection, tender_id: int) -> list[dict[str, Any]]:
    return conn.execute(f"{CASE_SELECT} WHERE c.tender_id = %s AND c.stage = 'missed'"
                        " ORDER BY c.id", (tender_id,)).fetchall()


def open_cases_of_tender(conn: psycopg.Connection, tender_id: int) -> list[dict[str, Any]]:
    return conn.execute(
        f"{CASE_SELECT} WHERE c.tender_id = %s AND c.stage <> ALL(%s) ORDER BY c.id",
        (tender_id, TERMINAL)).fetchall()


def stage_history(conn: psycopg.Connection, case_id: int) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT from_stage, to_stage, changed_by, reason, changed_at FROM case_stage_history"
        " WHERE case_id = %s ORDER BY step", (case_id,),
    ).fetchall()


def update_case(conn: psycopg.Connection, case_id: int, changes: dict[str, Any]) -> None:
    """Set the given columns (title, deadline, reminder_days, advisor_id, requirements…)."""
    allowed = {"title", "deadline", "reminder_days", "advisor_id", "min_headcount",
               "min_annual_turnover", "lot_numbers", "buyer_name"}
    columns = [name for name in changes if name in allowed]
    if not columns:
        return
    assignments = ", ".join(f"{name} = %({name})s" for name in columns)
    conn.execute(f"UPDATE cases SET {assignments}, updated_at = now() WHERE id = %(id)s",
                 {**{name: changes[name] for name in columns}, "id": case_id})
