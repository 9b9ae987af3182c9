"""Where each live source's polling stopped, so that the next poll resumes there."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb


def get_cursor(conn: psycopg.Connection, source: str) -> dict[str, Any] | None:
    row = conn.execute("SELECT cursor FROM feed_cursors WHERE source = %s", (source,)).fetchone()
    return row["cursor"] if row else None


def set_cursor(conn: psycopg.Connection, source: str, cursor: dict[str, Any]) -> None:
    conn.execute("INSERT INTO feed_cursors (source, cursor) VALUES (%s, %s) ON CONFLICT (source)"
                 " DO UPDATE SET cursor = EXCLUDED.cursor, updated_at = now()",
                 (source, Jsonb(cursor)))


def last_polls(conn: psycopg.Connection) -> dict[str, float]:
    """When each source was last read successfully, as Unix seconds: the later of its last
    finished poll and its cursor's last move (a page read and stored, in a poll still going)."""
    rows = conn.execute(
        "SELECT source, extract(epoch FROM max(at)) AS at FROM ("
        " SELECT source, updated_at AS at FROM feed_cursors"
        " UNION ALL SELECT source, finished_at FROM feed_polls WHERE status = 'finished'"
        ") AS reads GROUP BY source").fetchall()
    return {row["source"]: float(row["at"]) for row in rows}
