"""The audit trail: who changed a structure, one of its documents, a case's advisor or its
outcome, and when — written in the same transaction as the change."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb


def record(conn: psycopg.Connection, object_type: str, object_id: int, action: str,
           summary: str, actor: str, details: dict[str, Any] | None = None) -> None:
    conn.execute(
        "INSERT INTO audit_log (object_type, object_id, action, summary, actor, details)"
        " VALUES (%s, %s, %s, %s, %s, %s)",
        (object_type, object_id, action, summary, actor, Jsonb(details or {})))


def trail(conn: psycopg.Connection, object_type: str, object_id: int,
          limit: int = 200) -> list[dict[str, Any]]:
    """The latest changes first."""
    return conn.execute(
        "SELECT id, action, summary, actor, details, at FROM audit_log"
        " WHERE object_type = %s AND object_id = %s ORDER BY at DESC, id DESC LIMIT %s",
        (object_type, object_id, limit)).fetchall()
