"""Formation's SQL: modules and sessions, written with their events."""

from __future__ import annotations

import uuid
from typing import Any

import psycopg

from centrale.events import Event
from centrale.outbox import record_event

SERVICE = "formation"
SESSION_COLUMNS = ("s.id, s.module_code, m.title AS module_title, s.starts_at, s.ends_at, s.place,"
                   " s.trainer, s.capacity, s.status, s.workflow_id")


def upsert_module(conn: psycopg.Connection, code: str, title: str, objectives: str,
                  duration_h) -> None:
    conn.execute(
        "INSERT INTO modules (code, title, objectives, duration_h) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (code) DO UPDATE SET title = EXCLUDED.title,"
        " objectives = EXCLUDED.objectives, duration_h = EXCLUDED.duration_h",
        (code, title, objectives, duration_h),
    )


def list_modules(conn: psycopg.Connection) -> list[dict[str, Any]]:
    return conn.execute("SELECT code, title, objectives, duration_h FROM modules ORDER BY title"
                        ).fetchall()


def schedule_session(conn: psycopg.Connection, data: dict[str, Any]) -> dict[str, Any]:
    row = conn.execute(
        "INSERT INTO sessions (module_code, starts_at, ends_at, place, trainer, capacity)"
        " VALUES (%(module_code)s, %(starts_at)s, %(ends_at)s, %(place)s, %(trainer)s,"
        " %(capacity)s) RETURNING id", data,
    ).fetchone()
    # Unique beyond this database's ids: a rebuilt database must not meet an old workflow.
    workflow_id = f"training-session-{row['id']}-{uuid.uuid4().hex[:12]}"
    conn.execute("UPDATE sessions SET workflow_id = %s WHERE id = %s", (workflow_id, row["id"]))
    session = get_session(conn, row["id"])
    record_event(conn, Event(
        type="training.session_scheduled", subject=f"session:{row['id']}", producer=SERVICE,
        data={"session_id": row["id"], "module_code": data["module_code"],
              "starts_at": session["starts_at"].isoformat(), "place": data["place"]},
    ))
    return session


def get_session(conn: psycopg.Connection, session_id: int) -> dict[str, Any] | None:
    return conn.execute(
        f"SELECT {SESSION_COLUMNS} FROM sessions s JOIN modules m ON m.code = s.module_code"
        " WHERE s.id = %s", (session_id,),
    ).fetchone()


def list_sessions(conn: psycopg.Connection, limit: int, offset: int) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {SESSION_COLUMNS} FROM sessions s JOIN modules m ON m.code = s.module_code"
        " ORDER BY s.starts_at, s.id LIMIT %s OFFSET %s", (limit, offset),
    ).fetchall()


def close_session(conn: psycopg.Connection, session_id: int, status: str,
                  reason: str | None) -> bool:
    """Mark a session cancelled or held; False if it was already closed."""
    row = conn.execute(
        "UPDATE sessions SET status = %s WHERE id = %s AND status = 'scheduled' RETURNING id",
        (status, session_id),
    ).fetchone()
    if row is None:
        return False
    if status == "cancelled":
        record_event(conn, Event(
            type="training.session_cancelled", subject=f"session:{session_id}",
            producer=SERVICE, data={"session_id": session_id, "reason": reason},
        ))
    return True
