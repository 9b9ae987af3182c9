"""Registrations, the waitlist, attendance and survey answers (the caller holds the session's
lock when it changes them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg

from .sessions import SESSION_FROM

REGISTRATION_COLUMNS = (
    "r.id, r.session_id, r.structure_id, r.person_name AS name, r.email, r.status,"
    " r.registered_by, r.created_at, r.confirmed_at, r.promoted_at, r.cancelled_at,"
    " r.attended, r.attended_hours, r.attendance_recorded_at, r.survey_score,"
    " r.survey_comment, r.surveyed_at,"
    " CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*) FROM registrations w"
    "  WHERE w.session_id = r.session_id AND w.status = 'waitlisted' AND w.id <= r.id)"
    " END AS waitlist_position,"
    # What people read instead of a session number: its module's title and its start.
    " (SELECT m.title FROM sessions s JOIN modules m ON m.code = s.module_code"
    "  WHERE s.id = r.session_id) AS module_title,"
    " (SELECT s.starts_at FROM sessions s WHERE s.id = r.session_id) AS session_starts_at"
)


def get_registration(conn: psycopg.Connection, registration_id: int) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {REGISTRATION_COLUMNS} FROM registrations r WHERE r.id = %s",
                        (registration_id,)).fetchone()


def list_registrations(conn: psycopg.Connection, session_id: int | None = None,
                       structure_id: int | None = None, status: str | None = None,
                       limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {REGISTRATION_COLUMNS} FROM registrations r"
        " WHERE (%(session)s::bigint IS NULL OR r.session_id = %(session)s)"
        " AND (%(structure)s::bigint IS NULL OR r.structure_id = %(structure)s)"
        " AND (%(status)s::text IS NULL OR r.status = %(status)s)"
        " ORDER BY r.session_id, r.id LIMIT %(limit)s OFFSET %(offset)s",
        {"session": session_id, "structure": structure_id, "status": status, "limit": limit,
         "offset": offset},
    ).fetchall()


def structure_of(conn: psycopg.Connection, registration_id: int) -> int | None:
    row = conn.execute("SELECT structure_id FROM registrations WHERE id = %s",
                       (registration_id,)).fetchone()
    return None if row is None else row["structure_id"]


def session_of(conn: psycopg.Connection, registration_id: int) -> int | None:
    row = conn.execute("SELECT session_id FROM registrations WHERE id = %s",
                       (registration_id,)).fetchone()
    return None if row is None else row["session_id"]


def lock_status(conn: psycopg.Connection, registration_id: int) -> str:
    """The registration's status, its row locked (after its session's)."""
    return conn.execute("SELECT status FROM registrations WHERE id = %s FOR UPDATE",
                        (registration_id,)).fetchone()["status"]


def active_registration_of(conn: psycopg.Connection, session_id: int,
                           email: str) -> int | None:
    """The registration (not cancelled) of this address to the session, if any."""
    row = conn.execute(
        "SELECT id FROM registrations WHERE session_id = %s AND lower(email) = lower(%s)"
        " AND status <> 'cancelled'", (session_id, email)).fetchone()
    return None if row is None else row["id"]


def insert_registration(conn: psycopg.Connection, session_id: int, person: dict[str, Any],
                        status: str, registered_by: str, confirmed_at: datetime | None) -> int:
    return conn.execute(
        "INSERT INTO registrations (session_id, structure_id, person_name, email, status,"
        " registered_by, confirmed_at) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (session_id, person["structure_id"], person["name"], person["email"], status,
         registered_by, confirmed_at),
    ).fetchone()["id"]


def mark_cancelled(conn: psycopg.Connection, registration_id: int, cancelled_by: str,
                   now: datetime) -> None:
    conn.execute(
        "UPDATE registrations SET status = 'cancelled', cancelled_at = %s, cancelled_by = %s"
        " WHERE id = %s", (now, cancelled_by, registration_id))


def waitlist(conn: psycopg.Connection, session_id: int) -> list[int]:
    return [row["id"] for row in conn.execute(
        "SELECT id FROM registrations WHERE session_id = %s AND status = 'waitlisted'"
        " ORDER BY id", (session_id,)).fetchall()]


def mark_promoted(conn: psycopg.Connection, registration_id: int, now: datetime) -> None:
    conn.execute(
        "UPDATE registrations SET status = 'confirmed', promoted_at = %s, confirmed_at = %s"
        " WHERE id = %s AND status = 'waitlisted'", (now, now, registration_id))


def confirmed_ids(conn: psycopg.Connection, session_id: int) -> set[int]:
    return {row["id"] for row in conn.execute(
        "SELECT id FROM registrations WHERE session_id = %s AND status = 'confirmed'",
        (session_id,)).fetchall()}


def save_attendance(conn: psycopg.Connection, rows: list[tuple]) -> None:
    """``(attended, hours, recorded_at, registration_id)`` rows."""
    for values in rows:
        conn.execute("UPDATE registrations SET attended = %s, attended_hours = %s,"
                     " attendance_recorded_at = %s WHERE id = %s", values)


def lock_registration(conn: psycopg.Connection, registration_id: int) -> None:
    conn.execute("SELECT 1 FROM registrations WHERE id = %s FOR UPDATE", (registration_id,))


def save_survey(conn: psycopg.Connection, registration_id: int, score: int,
                comment: str | None, now: datetime) -> None:
    conn.execute("UPDATE registrations SET survey_score = %s, survey_comment = %s,"
                 " surveyed_at = %s WHERE id = %s AND surveyed_at IS NULL",
                 (score, comment, now, registration_id))


def certificate_data(conn: psycopg.Connection, registration_id: int) -> dict[str, Any] | None:
    return conn.execute(
        "SELECT r.id AS registration_id, r.structure_id, r.person_name, r.status, r.attended,"
        " r.attended_hours, r.surveyed_at, m.title AS module_title, m.objectives,"
        " s.starts_at, s.ends_at, s.place, s.trainer"
        f" FROM registrations r JOIN {SESSION_FROM} ON s.id = r.session_id WHERE r.id = %s",
        (registration_id,)).fetchone()
