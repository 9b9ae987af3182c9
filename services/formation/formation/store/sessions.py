"""Sessions (with their module), their moves, and the people registered to them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import psycopg

SESSION_COLUMNS = (
    "s.id, s.module_code, m.title AS module_title, m.objectives, m.duration_h, s.starts_at,"
    " s.ends_at, s.place, s.video_url, s.trainer, s.capacity, s.status, s.workflow_id,"
    " s.registration_close_hours, s.registrations_closed_at, s.cancel_reason,"
    " s.survey_requested_at, s.confirmed_count, s.revision,"
    " (SELECT count(*) FROM registrations w WHERE w.session_id = s.id"
    "  AND w.status = 'waitlisted') AS waitlisted_count"
)
SESSION_FROM = "sessions s JOIN modules m ON m.code = s.module_code"


def insert_session(conn: psycopg.Connection, values: dict[str, Any]) -> int:
    """A new session and its workflow id; its id."""
    row = conn.execute(
        "INSERT INTO sessions (module_code, starts_at, ends_at, place, trainer, capacity,"
        " video_url, registration_close_hours)"
        " VALUES (%(module_code)s, %(starts_at)s, %(ends_at)s, %(place)s, %(trainer)s,"
        " %(capacity)s, %(video_url)s, %(registration_close_hours)s) RETURNING id", values,
    ).fetchone()
    # Unique beyond this database's ids: a rebuilt database must not meet an old workflow.
    workflow_id = f"training-session-{row['id']}-{uuid.uuid4().hex[:12]}"
    conn.execute("UPDATE sessions SET workflow_id = %s WHERE id = %s", (workflow_id, row["id"]))
    return row["id"]


def get_session(conn: psycopg.Connection, session_id: int,
                for_update: bool = False) -> dict[str, Any] | None:
    lock = " FOR UPDATE OF s" if for_update else ""
    return conn.execute(f"SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.id = %s{lock}",
                        (session_id,)).fetchone()


def list_sessions(conn: psycopg.Connection, limit: int, offset: int,
                  module_code: str | None = None, upcoming: bool = False,
                  status: str | None = None, started: bool = False) -> list[dict[str, Any]]:
    """By start, or the sessions that have started, the latest first (``started``)."""
    order = "s.starts_at DESC, s.id DESC" if started else "s.starts_at, s.id"
    return conn.execute(
        f"SELECT {SESSION_COLUMNS} FROM {SESSION_FROM}"
        " WHERE (%(module)s::text IS NULL OR s.module_code = %(module)s)"
        " AND (NOT %(upcoming)s OR s.starts_at > now())"
        " AND (NOT %(started)s OR s.starts_at <= now())"
        " AND (%(status)s::text IS NULL OR s.status = %(status)s)"
        f" ORDER BY {order} LIMIT %(limit)s OFFSET %(offset)s",
        {"module": module_code, "upcoming": upcoming, "status": status, "limit": limit,
         "offset": offset, "started": started},
    ).fetchall()


def upcoming_sessions(conn: psycopg.Connection, module_codes: list[str]) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.module_code = ANY(%s)"
        " AND s.status = 'scheduled' AND s.starts_at > now() ORDER BY s.starts_at, s.id",
        (module_codes,)).fetchall()


def session_people(conn: psycopg.Connection, session_id: int) -> list[dict[str, Any]]:
    """Everyone registered or waitlisted, as events list them (to tell each of them)."""
    return conn.execute(
        "SELECT person_name AS name, email, structure_id, id AS registration_id, status"
        " FROM registrations WHERE session_id = %s AND status <> 'cancelled' ORDER BY id",
        (session_id,)).fetchall()


def close_session(conn: psycopg.Connection, session_id: int, status: str,
                  reason: str | None) -> bool:
    """Mark a scheduled session cancelled (with its reason) or held; False if it was closed."""
    return conn.execute(
        "UPDATE sessions SET status = %s, cancel_reason = %s WHERE id = %s"
        " AND status = 'scheduled' RETURNING id",
        (status, reason if status == "cancelled" else None, session_id),
    ).fetchone() is not None


def move_session(conn: psycopg.Connection, session: dict[str, Any], starts_at: datetime,
                 ends_at: datetime, reopen: bool, reason: str | None, moved_by: str) -> None:
    """New dates (one revision more), registrations opened again when told, the move kept."""
    conn.execute(
        "UPDATE sessions SET starts_at = %s, ends_at = %s, revision = revision + 1,"
        " registrations_closed_at = CASE WHEN %s THEN NULL ELSE registrations_closed_at END"
        " WHERE id = %s", (starts_at, ends_at, reopen, session["id"]))
    conn.execute(
        "INSERT INTO session_moves (session_id, from_starts_at, from_ends_at, to_starts_at,"
        " to_ends_at, reason, moved_by) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (session["id"], session["starts_at"], session["ends_at"], starts_at, ends_at, reason,
         moved_by))


def session_moves(conn: psycopg.Connection, session_id: int) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT from_starts_at, from_ends_at, to_starts_at, to_ends_at, reason, moved_by,"
        " moved_at FROM session_moves WHERE session_id = %s ORDER BY id", (session_id,),
    ).fetchall()
