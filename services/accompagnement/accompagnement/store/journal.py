"""A case's notes and the coaching hours spent on it (counted for the funders)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import psycopg


NOTE_COLUMNS = "id, case_id, body, author, shared, created_at"


def add_note(conn: psycopg.Connection, case_id: int, body: str, author: str,
             shared: bool = False) -> dict[str, Any]:
    return conn.execute(
        "INSERT INTO case_notes (case_id, body, author, shared) VALUES (%s, %s, %s, %s)"
        f" RETURNING {NOTE_COLUMNS}", (case_id, body, author, shared)).fetchone()


def notes(conn: psycopg.Connection, case_id: int, shared_only: bool = False) -> list[dict[str, Any]]:
    """A case's notes; the structure's members read only those shared with them."""
    return conn.execute(
        f"SELECT {NOTE_COLUMNS} FROM case_notes WHERE case_id = %s AND (shared OR NOT %s)"
        " ORDER BY created_at, id", (case_id, shared_only)).fetchall()


TIME_COLUMNS = ("id, case_id, advisor_id, spent_on, hours, activity, comment, recorded_by,"
                " created_at")


def add_time(conn: psycopg.Connection, case_id: int, advisor_id: int | None, spent_on: date,
             hours: Decimal, activity: str, comment: str | None,
             recorded_by: str) -> dict[str, Any]:
    return conn.execute(
        "INSERT INTO case_time_entries (case_id, advisor_id, spent_on, hours, activity, comment,"
        f" recorded_by) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING {TIME_COLUMNS}",
        (case_id, advisor_id, spent_on, hours, activity, comment, recorded_by)).fetchone()


def time_entries(conn: psycopg.Connection, case_id: int) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {TIME_COLUMNS} FROM case_time_entries WHERE case_id = %s"
        " ORDER BY spent_on, id", (case_id,)).fetchall()


def delete_time(conn: psycopg.Connection, case_id: int, entry_id: int) -> dict[str, Any] | None:
    return conn.execute(
        f"DELETE FROM case_time_entries WHERE case_id = %s AND id = %s RETURNING {TIME_COLUMNS}",
        (case_id, entry_id)).fetchone()
