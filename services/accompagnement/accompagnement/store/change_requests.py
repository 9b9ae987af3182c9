"""Members' requests to change their structure's official details, and the advisors'
decisions on them."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

SELECT = ("SELECT r.id, r.structure_id, s.legal_name AS structure_name, r.changes, r.previous, r.comment,"
          " r.status, r.requested_by, r.requested_at, r.decided_by, r.decided_at,"
          " r.decision_reason FROM structure_change_requests r"
          " JOIN structures s ON s.id = r.structure_id")


class AlreadyPending(Exception):
    """The structure has a request waiting already."""


def create(conn: psycopg.Connection, structure_id: int, changes: dict[str, Any],
           previous: dict[str, Any], comment: str | None, requested_by: str) -> dict[str, Any]:
    try:
        with conn.transaction():
            row = conn.execute(
                "INSERT INTO structure_change_requests (structure_id, changes, previous,"
                " comment, requested_by) VALUES (%s, %s, %s, %s, %s) RETURNING id",
                (structure_id, Jsonb(changes), Jsonb(previous), comment, requested_by)).fetchone()
    except psycopg.errors.UniqueViolation:
        raise AlreadyPending() from None
    return get(conn, row["id"])


def get(conn: psycopg.Connection, request_id: int, for_update: bool = False) -> dict | None:
    lock = " FOR UPDATE OF r" if for_update else ""
    return conn.execute(SELECT + " WHERE r.id = %s" + lock, (request_id,)).fetchone()


def of_structure(conn: psycopg.Connection, structure_id: int,
                 limit: int = 50) -> list[dict[str, Any]]:
    return conn.execute(SELECT + " WHERE r.structure_id = %s ORDER BY r.requested_at DESC,"
                        " r.id DESC LIMIT %s", (structure_id, limit)).fetchall()


def listed(conn: psycopg.Connection, status: str | None, limit: int,
           offset: int) -> list[dict[str, Any]]:
    """Oldest first: the request waiting longest is decided first."""
    return conn.execute(SELECT + " WHERE (%(status)s::text IS NULL OR r.status = %(status)s)"
                        " ORDER BY r.requested_at, r.id LIMIT %(limit)s OFFSET %(offset)s",
                        {"status": status, "limit": limit, "offset": offset}).fetchall()


def decide(conn: psycopg.Connection, request_id: int, status: str, decided_by: str,
           reason: str | None) -> dict[str, Any]:
    conn.execute("UPDATE structure_change_requests SET status = %s, decided_by = %s,"
                 " decided_at = now(), decision_reason = %s WHERE id = %s",
                 (status, decided_by, reason, request_id))
    return get(conn, request_id)
