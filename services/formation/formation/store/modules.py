"""The catalogue of modules."""

from __future__ import annotations

from typing import Any

import psycopg


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
