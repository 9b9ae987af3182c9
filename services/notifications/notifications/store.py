"""Notifications' SQL: received events and digests."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from centrale.events import Event


def record_received(conn: psycopg.Connection, event: Event) -> None:
    conn.execute(
        "INSERT INTO received_events (event_id, event_type, subject, producer, occurred_at, data)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (event_id) DO NOTHING",
        (event.id, event.type, event.subject, event.producer, event.occurred_at, Jsonb(event.data)),
    )


def list_received(conn: psycopg.Connection, event_type: str | None, limit: int,
                  offset: int) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT event_id, event_type, subject, producer, occurred_at, data, received_at"
        " FROM received_events WHERE (%(type)s::text IS NULL OR event_type = %(type)s)"
        " ORDER BY received_at DESC LIMIT %(limit)s OFFSET %(offset)s",
        {"type": event_type, "limit": limit, "offset": offset},
    ).fetchall()


def compile_digest(conn: psycopg.Connection, workflow_id: str) -> dict[str, Any]:
    """Count what arrived since the previous digest and record this one (idempotent by id)."""
    existing = conn.execute("SELECT since, until, event_count FROM digests WHERE workflow_id = %s",
                            (workflow_id,)).fetchone()
    if existing:
        return existing
    conn.execute("LOCK TABLE digests IN SHARE ROW EXCLUSIVE MODE")
    since = conn.execute("SELECT max(until) AS until FROM digests").fetchone()["until"]
    row = conn.execute(
        "SELECT now() AS until, count(*) AS n FROM received_events"
        " WHERE (%(since)s::timestamptz IS NULL OR received_at > %(since)s)"
        " AND received_at <= now()", {"since": since},
    ).fetchone()
    conn.execute(
        "INSERT INTO digests (workflow_id, since, until, event_count) VALUES (%s, %s, %s, %s)",
        (workflow_id, since, row["until"], row["n"]),
    )
    return {"since": since, "until": row["until"], "event_count": row["n"]}
