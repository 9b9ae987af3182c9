"""Advisors (conseillers) and their workload."""

from __future__ import annotations

from datetime import date
from typing import Any

import psycopg

from ..domain.stages import PIPELINE
from .cases import TERMINAL

COLUMNS = "id, name, email, active, created_at"


class DuplicateEmail(Exception):
    pass


def create_advisor(conn: psycopg.Connection, name: str, email: str) -> dict[str, Any]:
    try:
        with conn.transaction():
            return conn.execute(
                f"INSERT INTO advisors (name, email) VALUES (%s, %s) RETURNING {COLUMNS}",
                (name, email.lower())).fetchone()
    except psycopg.errors.UniqueViolation:
        raise DuplicateEmail(email) from None


def advisor_of(conn: psycopg.Connection, email: str | None) -> dict[str, Any] | None:
    """The active advisor whose address this is (the person acting, from their token)."""
    if not email:
        return None
    return conn.execute(f"SELECT {COLUMNS} FROM advisors WHERE email = %s AND active",
                        (email.strip().lower(),)).fetchone()


def update_advisor(conn: psycopg.Connection, advisor_id: int,
                   changes: dict[str, Any]) -> dict[str, Any] | None:
    columns = [name for name in ("name", "email", "active") if name in changes]
    if "email" in changes:
        changes = {**changes, "email": changes["email"].lower()}
    if columns:
        assignments = ", ".join(f"{name} = %({name})s" for name in columns)
        try:
            with conn.transaction():
                conn.execute(f"UPDATE advisors SET {assignments} WHERE id = %(id)s",
                             {**changes, "id": advisor_id})
        except psycopg.errors.UniqueViolation:
            raise DuplicateEmail(changes["email"]) from None
    return get_advisor(conn, advisor_id)


def get_advisor(conn: psycopg.Connection, advisor_id: int) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {COLUMNS} FROM advisors WHERE id = %s",
                        (advisor_id,)).fetchone()


def list_advisors(conn: psycopg.Connection, active_only: bool = False) -> list[dict[str, Any]]:
    return conn.execute(f"SELECT {COLUMNS} FROM advisors WHERE active OR NOT %s"
                        " ORDER BY name, id", (active_only,)).fetchall()


def workload(conn: psycopg.Connection, advisor_id: int | None, start: date | None,
             end: date | None) -> list[dict[str, Any]]:
    """Per advisor: open cases by stage, the next deadline, coaching hours in the period."""
    rows = conn.execute(
        "SELECT a.id, a.name, a.email, a.active,"
        " (SELECT coalesce(jsonb_object_agg(stage, n), '{}') FROM (SELECT stage, count(*) AS n"
        "   FROM cases c WHERE c.advisor_id = a.id AND c.stage <> ALL(%(terminal)s)"
        "   GROUP BY stage) AS open) AS by_stage,"
        " (SELECT min(c.deadline) FROM cases c WHERE c.advisor_id = a.id"
        "   AND c.stage <> ALL(%(terminal)s) AND c.deadline > now()) AS next_deadline,"
        " (SELECT coalesce(sum(t.hours), 0) FROM case_time_entries t WHERE t.advisor_id = a.id"
        "   AND (%(start)s::date IS NULL OR t.spent_on >= %(start)s)"
        "   AND (%(end)s::date IS NULL OR t.spent_on <= %(end)s)) AS hours"
        " FROM advisors a WHERE (%(id)s::bigint IS NULL OR a.id = %(id)s) ORDER BY a.name, a.id",
        {"terminal": TERMINAL, "start": start, "end": end, "id": advisor_id}).fetchall()
    result = []
    for row in rows:
        by_stage = {stage.value: int(row["by_stage"].get(stage.value, 0)) for stage in PIPELINE}
        result.append({
            "advisor": {key: row[key] for key in ("id", "name", "email", "active")},
            "open_cases": sum(by_stage.values()),
            "open_cases_by_stage": by_stage,
            "next_deadline": row["next_deadline"],
            "hours": row["hours"],
            "period": {"start": start, "end": end},
        })
    return result
