"""Notices that could not be read, kept with the reason so that nothing is silently lost."""

from __future__ import annotations

from typing import Any

import psycopg

EXCERPT_CHARS = 2000


def quarantine(conn: psycopg.Connection, origin: str, reason: str, content: bytes | str = b""
               ) -> int:
    if isinstance(content, bytes):
        content = content[:EXCERPT_CHARS * 4].decode("utf-8", errors="replace")
    row = conn.execute(
        "INSERT INTO quarantine (origin, reason, excerpt) VALUES (%s, %s, %s) RETURNING id",
        (origin[:1000], reason[:2000], content[:EXCERPT_CHARS].replace("\x00", "")),
    ).fetchone()
    return row["id"]


def list_quarantine(conn: psycopg.Connection, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    total = conn.execute("SELECT count(*) AS n FROM quarantine").fetchone()["n"]
    rows = conn.execute("SELECT id, origin, reason, excerpt, created_at FROM quarantine"
                        " ORDER BY id DESC LIMIT %s OFFSET %s", (limit, offset)).fetchall()
    return rows, total
