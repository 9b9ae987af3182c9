"""Writing accompagnement's events to the outbox, in the caller's transaction."""

from __future__ import annotations

from typing import Any

import psycopg

from centrale.events import Event
from centrale.outbox import record_event

SERVICE = "accompagnement"


def emit(conn: psycopg.Connection, event_type: str, subject: str, data: dict[str, Any]) -> None:
    record_event(conn, Event(type=event_type, subject=subject, producer=SERVICE, data=data))


def iso(moment) -> str | None:
    return moment.isoformat() if moment is not None else None


def person(row: dict[str, Any] | None, prefix: str = "advisor_") -> dict[str, Any] | None:
    """{id, name, email} of the advisor joined in ``row`` (columns advisor_id, advisor_name…)."""
    if not row or row.get(f"{prefix}id") is None or not row.get(f"{prefix}email"):
        return None
    return {"id": str(row[f"{prefix}id"]), "name": row.get(f"{prefix}name"),
            "email": row[f"{prefix}email"]}
