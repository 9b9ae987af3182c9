"""The record of each poll of a live source: what it announced beside what became of it."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

COUNTS = ("pages", "announced", "received", "created", "updated", "unchanged", "quarantined",
          "skipped", "unread")


def open_poll(conn: psycopg.Connection, source: str, run_id: str, cursor: dict | None) -> int:
    """The poll of this Temporal run, opened once (a retried opening finds it again)."""
    row = conn.execute(
        "INSERT INTO feed_polls (source, run_id, first_cursor, last_cursor) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (run_id) DO UPDATE SET run_id = EXCLUDED.run_id RETURNING id",
        (source, run_id, Jsonb(cursor), Jsonb(cursor))).fetchone()
    return row["id"]


def record_poll(conn: psycopg.Connection, poll_id: int, counts: dict[str, int], cursor: dict | None,
                status: str = "running", error: str | None = None) -> None:
    """Set the poll's figures so far (absolute values: recording twice changes nothing)."""
    assignments = ", ".join(f"{name} = %({name})s" for name in COUNTS)
    conn.execute(
        f"UPDATE feed_polls SET {assignments}, last_cursor = %(cursor)s, status = %(status)s,"
        " error = %(error)s, finished_at = CASE WHEN %(status)s = 'running' THEN NULL ELSE now() END"
        " WHERE id = %(id)s",
        {**{name: int(counts.get(name, 0)) for name in COUNTS}, "cursor": Jsonb(cursor),
         "status": status, "error": (error or None) and error[:2000], "id": poll_id})


def list_polls(conn: psycopg.Connection, source: str | None, limit: int, offset: int
               ) -> tuple[list[dict[str, Any]], int]:
    where, params = ("WHERE source = %s", [source]) if source else ("", [])
    total = conn.execute(f"SELECT count(*) AS n FROM feed_polls {where}", params).fetchone()["n"]
    rows = conn.execute(
        f"SELECT *, greatest(0, announced - (created + updated + unchanged + quarantined + skipped)) AS missing"
        f" FROM feed_polls {where} ORDER BY started_at DESC, id DESC LIMIT %s OFFSET %s",
        [*params, limit, offset]).fetchall()
    return rows, total
