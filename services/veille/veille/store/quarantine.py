"""Notices that could not be read, kept with the reason and their whole raw text, so that
nothing is silently lost and a fixed parser can read them again."""

from __future__ import annotations

from typing import Any

import psycopg

EXCERPT_CHARS = 2000


def quarantine(conn: psycopg.Connection, origin: str, reason: str, content: bytes | str = b"",
               whole: bool = True) -> int:
    """Keep `content` (whole, unless `whole` is False: a file refused for its size keeps an
    excerpt only) with the reason it could not be read."""
    if isinstance(content, bytes):
        content = content.decode("utf-8", errors="replace")
    content = content.replace("\x00", "")
    row = conn.execute(
        "INSERT INTO quarantine (origin, reason, excerpt, content) VALUES (%s, %s, %s, %s) RETURNING id",
        (origin[:1000], reason[:2000], content[:EXCERPT_CHARS], content if whole else ""),
    ).fetchone()
    return row["id"]


def list_quarantine(conn: psycopg.Connection, limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    total = conn.execute("SELECT count(*) AS n FROM quarantine").fetchone()["n"]
    rows = conn.execute("SELECT id, origin, reason, excerpt, created_at FROM quarantine"
                        " ORDER BY id DESC LIMIT %s OFFSET %s", (limit, offset)).fetchall()
    return rows, total


def get_quarantined(conn: psycopg.Connection, quarantine_id: int) -> dict[str, Any] | None:
    return conn.execute("SELECT id, origin, reason, excerpt, content, created_at FROM quarantine"
                        " WHERE id = %s", (quarantine_id,)).fetchone()
