"""The bus end to end (outbox → relay → RabbitMQ → consumer → inbox) beside raw kombu
publish + consume of the same number of messages, both with publisher confirms."""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import replace

from kombu import Connection, Exchange, Queue

from centrale.bus import Bus
from centrale.consumer import EventConsumer, Handler
from centrale.db import Database
from centrale.events import Event
from centrale.migrations import migrate
from centrale.outbox import OutboxRelay, record_event
from centrale.settings import load_settings
from centrale.testing import delete_queues, recreate_database


def raw_kombu(settings, count: int) -> float:
    exchange = Exchange(f"bench.raw.{uuid.uuid4().hex[:6]}", type="topic", durable=True)
    # A quorum queue, as the bus declares: the reference pays the same replication.
    queue = Queue(f"bench.raw.{uuid.uuid4().hex[:6]}", exchange, routing_key="#", durable=True,
                  queue_arguments={"x-queue-type": "quorum"})
    received = 0
    started = time.perf_counter()
    with Connection(settings.amqp_url, transport_options={"confirm_publish": True}) as conn:
        producer = conn.Producer(exchange=exchange)
        queue(conn.channel()).declare()
        body = Event(type="bench.raw", subject="bench:1", producer="bench",
                     data={"n": 0}).to_message()
        for _ in range(count):
            producer.publish(body, routing_key="bench.raw", serializer="json", delivery_mode=2)

        def on_message(_body, message):
            nonlocal received
            received += 1
            message.ack()

        with conn.Consumer(queue, callbacks=[on_message], prefetch_count=200):
            while received < count:
                conn.drain_events(timeout=10)
        elapsed = time.perf_counter() - started
        queue(conn.channel()).delete()
        exchange(conn.channel()).delete()
    return count / elapsed


def end_to_end(settings, count: int) -> float:
    db = Database.from_settings(settings).open()
    handler = Handler("bench", ("bench.noted",), lambda conn, event: None)
    consumer = EventConsumer("bench", db, Bus.from_settings(settings), [handler])
    consumer.declare()
    thread = threading.Thread(target=consumer.run, daemon=True)
    thread.start()
    relay = OutboxRelay(db, Bus.from_settings(settings), batch_size=500)
    started = time.perf_counter()
    for start in range(0, count, 500):
        with db.transaction() as conn:
            for n in range(start, min(start + 500, count)):
                record_event(conn, Event(type="bench.noted", subject=f"bench:{n}",
                                         producer="bench", data={"n": n}))
    relay.drain()
    while True:
        with db.transaction() as conn:
            done = conn.execute("SELECT count(*) AS n FROM centrale_inbox").fetchone()["n"]
        if done >= count:
            break
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    consumer.should_stop = True
    thread.join(10)
    delete_queues(consumer)
    db.close()
    return count / elapsed


def run(count: int = 10_000) -> dict:
    base = load_settings("bench")
    settings = replace(base, db_name="bench_bus", exchange=f"bench.{uuid.uuid4().hex[:6]}",
                       queue_prefix="bench.", queue_expires_ms=10 * 60 * 1000)
    recreate_database(settings)
    migrate(settings, None)
    raw = raw_kombu(settings, count)
    e2e = end_to_end(settings, count)
    return {"events": count, "end_to_end_per_s": round(e2e, 1),
            "raw_kombu_per_s": round(raw, 1), "ratio": round(e2e / raw, 3)}
