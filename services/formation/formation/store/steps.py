"""What the session workflow does once only: each claim answers whether it is this call's to
do (a retried activity finds it claimed)."""

from __future__ import annotations

from datetime import datetime

import psycopg


def claim_reminder(conn: psycopg.Connection, session_id: int, starts_at: datetime,
                   days_before: int) -> bool:
    return conn.execute(
        "INSERT INTO session_reminders (session_id, starts_at, days_before, people)"
        " VALUES (%s, %s, %s, 0) ON CONFLICT DO NOTHING RETURNING session_id",
        (session_id, starts_at, days_before)).fetchone() is not None


def count_reminded(conn: psycopg.Connection, session_id: int, starts_at: datetime,
                   days_before: int, people: int) -> None:
    conn.execute("UPDATE session_reminders SET people = %s WHERE session_id = %s"
                 " AND starts_at = %s AND days_before = %s",
                 (people, session_id, starts_at, days_before))


def claim_closing(conn: psycopg.Connection, session_id: int,
                  starts_at: datetime | None) -> bool:
    """Registrations closed now, unless closed already or the session left ``starts_at``."""
    return conn.execute(
        "UPDATE sessions SET registrations_closed_at = now() WHERE id = %s"
        " AND status = 'scheduled' AND registrations_closed_at IS NULL"
        " AND (%s::timestamptz IS NULL OR starts_at = %s) RETURNING id",
        (session_id, starts_at, starts_at)).fetchone() is not None


def claim_survey(conn: psycopg.Connection, session_id: int) -> bool:
    return conn.execute(
        "UPDATE sessions SET survey_requested_at = now() WHERE id = %s AND status = 'held'"
        " AND survey_requested_at IS NULL RETURNING id", (session_id,)).fetchone() is not None
