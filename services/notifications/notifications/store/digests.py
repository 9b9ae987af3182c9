"""Digest runs and what each one holds.

Compiles are serialised by a table lock, and an item (a digest delivery) is attached to one
digest email once: the ``email_id IS NULL`` condition below is what keeps a digest from ever
repeating an item.
"""

from __future__ import annotations

from typing import Any

import psycopg

from ..domain.digest import Candidate
from ..domain.kinds import Mode

DIGEST_COLUMNS = "id, workflow_id, since, until, event_count, email_count, compiled_at"


def get(conn: psycopg.Connection, workflow_id: str) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {DIGEST_COLUMNS} FROM digests WHERE workflow_id = %s",
                        (workflow_id,)).fetchone()


def start(conn: psycopg.Connection, workflow_id: str) -> tuple[dict[str, Any], bool]:
    """The digest run of ``workflow_id``, created if new (True) — a retried activity finds it."""
    conn.execute("LOCK TABLE digests IN SHARE ROW EXCLUSIVE MODE")
    existing = get(conn, workflow_id)
    if existing is not None:
        return existing, False
    since = conn.execute("SELECT max(until) AS until FROM digests").fetchone()["until"]
    row = conn.execute(
        "INSERT INTO digests (workflow_id, since, until, event_count) VALUES (%s, %s, now(), 0)"
        f" RETURNING {DIGEST_COLUMNS}", (workflow_id, since)).fetchone()
    return row, True


def candidates(conn: psycopg.Connection) -> list[Candidate]:
    """Every digest delivery no digest holds yet, locked for this compile."""
    rows = conn.execute(
        "SELECT d.id, d.recipient, n.recipient_name, d.kind, n.title, n.summary, n.occurred_at,"
        " n.path, p.mode AS current_mode FROM deliveries d"
        " JOIN notifications n ON n.id = d.notification_id"
        " LEFT JOIN preferences p ON p.recipient = d.recipient AND p.kind = d.kind"
        " WHERE d.status = 'pending' AND d.mode = 'digest' AND d.email_id IS NULL"
        " ORDER BY d.id FOR UPDATE OF d").fetchall()
    return [Candidate(row["id"], row["recipient"], row["recipient_name"], row["kind"],
                      row["title"], row["summary"], row["occurred_at"],
                      Mode(row["current_mode"]) if row["current_mode"] else None,
                      path=row["path"])
            for row in rows]


def attach(conn: psycopg.Connection, email_id: int, delivery_ids: list[int]) -> int:
    return conn.execute(
        "UPDATE deliveries SET email_id = %s, updated_at = now()"
        " WHERE id = ANY(%s) AND email_id IS NULL", (email_id, delivery_ids)).rowcount


def skip(conn: psycopg.Connection, delivery_ids: list[int]) -> None:
    conn.execute(
        "UPDATE deliveries SET status = 'skipped_by_preference', updated_at = now(),"
        " reason = 'préférence passée à « jamais » avant le résumé'"
        " WHERE id = ANY(%s) AND status = 'pending'", (delivery_ids,))


def finish(conn: psycopg.Connection, digest_id: int, item_count: int,
           email_count: int) -> dict[str, Any]:
    return conn.execute(
        "UPDATE digests SET event_count = %s, email_count = %s WHERE id = %s"
        f" RETURNING {DIGEST_COLUMNS}", (item_count, email_count, digest_id)).fetchone()
