"""Every platform event notifications received, once each (the ``journal`` handler)."""

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
