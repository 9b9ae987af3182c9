"""Formation's events, written to the outbox in the transaction of the change they tell."""

from __future__ import annotations

from typing import Any

import psycopg

from centrale.events import Event
from centrale.outbox import record_event

SERVICE = "formation"


def record(conn: psycopg.Connection, event_type: str, subject: str,
           data: dict[str, Any]) -> None:
    record_event(conn, Event(type=event_type, subject=subject, producer=SERVICE, data=data))
