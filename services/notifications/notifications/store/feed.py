"""The in-app feed: one notification per (event, person), and its read state."""

from __future__ import annotations

from typing import Any

import psycopg

from centrale.events import Event

from ..domain.messages import Message
from ..domain.recipients import Recipient

FEED_COLUMNS = ("id, event_id, event_type, kind, recipient, role, structure_id, title, summary,"
                " path, occurred_at, created_at, read_at")


def insert(conn: psycopg.Connection, event: Event, message: Message, recipient: Recipient,
           structure_id: int | None) -> int | None:
    """The new notification's id, or None when this person already has this event's."""
    row = conn.execute(
        "INSERT INTO notifications (event_id, event_type, kind, recipient, recipient_name, role,"
        " structure_id, title, summary, path, occurred_at) VALUES (%s, %s, %s, %s, %s, %s, %s,"
        " %s, %s, %s, %s) ON CONFLICT (event_id, recipient) DO NOTHING RETURNING id",
        (event.id, event.type, message.kind.code, recipient.email, recipient.name,
         recipient.role.value, structure_id, message.title, message.summary, message.path,
         event.occurred_at),
    ).fetchone()
    return row["id"] if row else None


def list_for(conn: psycopg.Connection, recipient: str, unread_only: bool, limit: int,
             offset: int) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {FEED_COLUMNS} FROM notifications WHERE recipient = %(r)s"
        " AND (NOT %(unread)s OR read_at IS NULL)"
        " ORDER BY occurred_at DESC, id DESC LIMIT %(limit)s OFFSET %(offset)s",
        {"r": recipient, "unread": unread_only, "limit": limit, "offset": offset},
    ).fetchall()


def unread_count(conn: psycopg.Connection, recipient: str) -> int:
    return conn.execute("SELECT count(*) AS n FROM notifications WHERE recipient = %s"
                        " AND read_at IS NULL", (recipient,)).fetchone()["n"]


def mark_read(conn: psycopg.Connection, recipient: str, notification_id: int
              ) -> dict[str, Any] | None:
    """Mark one of ``recipient``'s notifications read (idempotent); None if not theirs."""
    return conn.execute(
        "UPDATE notifications SET read_at = COALESCE(read_at, now())"
        f" WHERE id = %s AND recipient = %s RETURNING {FEED_COLUMNS}",
        (notification_id, recipient),
    ).fetchone()


def mark_all_read(conn: psycopg.Connection, recipient: str) -> int:
    return conn.execute("UPDATE notifications SET read_at = now() WHERE recipient = %s"
                        " AND read_at IS NULL", (recipient,)).rowcount
