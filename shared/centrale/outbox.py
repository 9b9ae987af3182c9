"""The transactional outbox and its relay.

A producer calls :func:`record_event` inside the transaction that makes the change, so the
event exists if and only if the change committed. The relay then publishes pending rows with
publisher confirms and marks them published; a crash between publishing and marking means the
event goes out again, which the consumers' inbox absorbs (at-least-once, effectively-once).
"""

from __future__ import annotations

import logging
import select
import threading
import time

import psycopg
from psycopg.types.json import Jsonb

from .bus import Bus
from .db import Database
from .events import Event
from .metrics import OUTBOX_PUBLISH_FAILURES, OUTBOX_PUBLISHED
from .tracing import current_carrier

log = logging.getLogger(__name__)


def _trace() -> Jsonb | None:
    carrier = current_carrier()
    return Jsonb(carrier) if carrier else None


def record_event(conn: psycopg.Connection, event: Event) -> None:
    conn.execute(
        "INSERT INTO centrale_outbox (id, event_type, envelope, trace_context)"
        " VALUES (%s, %s, %s, %s)",
        (event.id, event.type, Jsonb(event.to_message()), _trace()),
    )


def record_events(conn: psycopg.Connection, events: list[Event]) -> None:
    """Several events of one change, in one round trip."""
    if not events:
        return
    trace_context = _trace()
    with conn.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO centrale_outbox (id, event_type, envelope, trace_context)"
            " VALUES (%s, %s, %s, %s)",
            [(event.id, event.type, Jsonb(event.to_message()), trace_context)
             for event in events])


class OutboxRelay:
    """Moves committed outbox rows to the broker, oldest first, in small batches."""

    def __init__(self, db: Database, bus: Bus, batch_size: int = 200, idle_wait_s: float = 1.0):
        self.db = db
        self.bus = bus
        self.batch_size = batch_size
        self.idle_wait_s = idle_wait_s
        self._stop = threading.Event()

    def relay_once(self) -> int:
        """Publish one batch; return how many events went out."""
        with self.db.transaction() as conn:
            rows = conn.execute(
                "SELECT id, envelope, trace_context FROM centrale_outbox WHERE published_at IS NULL "
                "ORDER BY seq LIMIT %s FOR UPDATE SKIP LOCKED",
                (self.batch_size,),
            ).fetchall()
            if not rows:
                return 0
            try:
                self.bus.publish_many([row["envelope"] for row in rows],
                                      [row["trace_context"] for row in rows])
            except Exception as exc:
                log.warning("outbox publish failed, will retry", extra={"error": str(exc)})
                OUTBOX_PUBLISH_FAILURES.inc()
                conn.execute(
                    "UPDATE centrale_outbox SET attempts = attempts + 1, last_error = %s "
                    "WHERE id = ANY(%s)",
                    (str(exc)[:500], [row["id"] for row in rows]),
                )
                raise
            conn.execute(
                "UPDATE centrale_outbox SET published_at = now(), attempts = attempts + 1 "
                "WHERE id = ANY(%s)",
                ([row["id"] for row in rows],),
            )
        OUTBOX_PUBLISHED.inc(len(rows))
        return len(rows)

    def drain(self) -> int:
        total = 0
        while (sent := self.relay_once()) > 0:
            total += sent
        return total

    def stop(self) -> None:
        self._stop.set()

    def run_forever(self) -> None:
        """Relay until stopped, woken by NOTIFY from the outbox trigger or by the idle timeout."""
        backoff = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.db.dsn, autocommit=True) as listener:
                    listener.execute("LISTEN centrale_outbox")
                    backoff = 0.5
                    while not self._stop.is_set():
                        self.drain()
                        select.select([listener.fileno()], [], [], self.idle_wait_s)
                        for _ in listener.notifies(timeout=0):
                            pass
            except Exception as exc:  # broker or database away: wait and start again
                log.warning("outbox relay interrupted", extra={"error": str(exc)})
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)
            else:
                time.sleep(0)
