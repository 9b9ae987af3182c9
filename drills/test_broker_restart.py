"""Fault drill: RabbitMQ restarts while 10,000 events are being published through the outbox
by two relays and consumed by two consumers of one handler queue (CENTRALE_REPLICAS). None is
lost, none has a second effect (publisher confirms + outbox, inbox)."""

import subprocess
import threading
import time

import pytest

from centrale.bus import Bus
from centrale.consumer import EventConsumer, Handler
from centrale.db import Database
from centrale.events import Event
from centrale.outbox import OutboxRelay, record_event
from centrale.settings import load_settings
from centrale.testing import prepared_settings, running_consumer, wait_until

pytestmark = pytest.mark.integration

EVENTS = 10_000
# Replicas of each relay and consumer (CENTRALE_REPLICAS, as make up reads it): two by default.
REPLICAS = int(load_settings("drills").option("REPLICAS", "2"))


def rabbitmq_running() -> bool:
    """The broker application itself answers (a node can answer ping with its app stopped)."""
    return subprocess.run(["rabbitmq-diagnostics", "-q", "check_running"], capture_output=True,
                          timeout=30).returncode == 0


def restart_rabbitmq() -> None:
    """Stop and start the broker application: every connection and channel is cut."""
    subprocess.run(["rabbitmqctl", "-q", "stop_app"], check=True, timeout=60)
    time.sleep(2)
    started = subprocess.run(["rabbitmqctl", "start_app"], capture_output=True, text=True,
                             timeout=60)
    assert started.returncode == 0, f"RabbitMQ did not start again: {started.stdout[-500:]}"
    wait_until(rabbitmq_running, timeout=60, interval=0.5, message="RabbitMQ did not come back")


@pytest.fixture
def db():
    settings = prepared_settings("centrale")
    database = Database.from_settings(settings).open()
    with database.transaction() as conn:
        conn.execute("TRUNCATE centrale_outbox, centrale_inbox")
        conn.execute("CREATE TABLE IF NOT EXISTS drill_effects (event_id uuid, n int)")
        conn.execute("TRUNCATE drill_effects")
    yield database
    database.close()


def test_a_broker_restart_loses_nothing_and_duplicates_nothing(db):
    settings = prepared_settings("centrale")

    def effect(conn, event):
        conn.execute("INSERT INTO drill_effects (event_id, n) VALUES (%s, %s)",
                     (event.id, event.data["n"]))

    handler = Handler("drill", ("drill.counted",), effect)
    # The relays share the outbox (FOR UPDATE SKIP LOCKED), the consumers the queue.
    relays = [OutboxRelay(db, Bus.from_settings(settings), batch_size=200, idle_wait_s=0.2)
              for _ in range(REPLICAS)]
    relay_threads = [threading.Thread(target=relay.run_forever, daemon=True) for relay in relays]
    others = [EventConsumer(settings.service, db, Bus.from_settings(settings), [handler],
                            max_attempts=settings.bus_max_attempts) for _ in range(REPLICAS - 1)]
    other_threads = [threading.Thread(target=c.run, daemon=True) for c in others]
    with running_consumer(settings, db, [handler]):
        for thread in relay_threads + other_threads:
            thread.start()
        for start in range(0, EVENTS, 500):
            with db.transaction() as conn:
                for n in range(start, start + 500):
                    record_event(conn, Event(type="drill.counted", subject=f"drill:{n}",
                                             producer="drill", data={"n": n}))
            if start == 2000:
                restart_rabbitmq()  # while the relay publishes and the consumer applies

        def applied():
            with db.transaction() as conn:
                return conn.execute("SELECT count(*) AS n FROM drill_effects").fetchone()["n"]

        wait_until(lambda: applied() >= EVENTS, timeout=400, interval=1,
                   message="events lost after the broker restart")
        time.sleep(2)  # anything redelivered late would show now
        for consumer in others:
            consumer.should_stop = True
        for thread in other_threads:
            thread.join(15)
    for relay in relays:
        relay.stop()
    for thread in relay_threads:
        thread.join(10)
    with db.transaction() as conn:
        row = conn.execute("SELECT count(*) AS total, count(DISTINCT n) AS distinct_n"
                           " FROM drill_effects").fetchone()
        unpublished = conn.execute("SELECT count(*) AS n FROM centrale_outbox"
                                   " WHERE published_at IS NULL").fetchone()["n"]
    assert row["distinct_n"] == EVENTS  # none lost
    assert row["total"] == EVENTS  # none applied twice
    assert unpublished == 0
