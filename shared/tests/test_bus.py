"""The outbox, the relay, the broker and the consumer's inbox, over the real RabbitMQ."""

import threading
import uuid

import pytest
from kombu import Connection

from centrale.bus import ATTEMPTS_HEADER, ERROR_HEADER, Bus
from centrale.consumer import Handler
from centrale.events import Event
from centrale.outbox import OutboxRelay, record_event
from centrale.testing import running_consumer, wait_until

pytestmark = pytest.mark.integration


def record_effect(conn, event):
    conn.execute("INSERT INTO effects (event_id, note) VALUES (%s, %s)",
                 (event.id, event.data.get("note")))


def effects(db, event_id=None):
    with db.transaction() as conn:
        if event_id is None:
            return conn.execute("SELECT count(*) AS n FROM effects").fetchone()["n"]
        return conn.execute("SELECT count(*) AS n FROM effects WHERE event_id = %s",
                            (event_id,)).fetchone()["n"]


def new_event(note="ok", type_="essai.publie"):
    return Event(type=type_, subject="tender:1", producer="tests", data={"note": note})


def drain_dead(bus: Bus, dead_queue):
    messages = []
    with Connection(bus.amqp_url) as conn:
        queue = conn.SimpleQueue(dead_queue)
        while True:
            try:
                message = queue.get(timeout=1)
            except queue.Empty:
                break
            messages.append((message.payload, message.headers))
            message.ack()
        queue.close()
    return messages


def test_event_goes_from_outbox_through_broker_to_one_effect(shared_settings, shared_db):
    handler = Handler("effects", ("essai.publie",), record_effect)
    bus = Bus.from_settings(shared_settings)
    with running_consumer(shared_settings, shared_db, [handler]):
        event = new_event()
        with shared_db.transaction() as conn:
            record_event(conn, event)
        assert OutboxRelay(shared_db, bus).drain() == 1
        wait_until(lambda: effects(shared_db, event.id) == 1, message="effect not applied")
        with shared_db.transaction() as conn:
            row = conn.execute("SELECT published_at FROM centrale_outbox WHERE id = %s",
                               (event.id,)).fetchone()
        assert row["published_at"] is not None
        assert OutboxRelay(shared_db, bus).drain() == 0  # nothing published twice
    bus.close()


def test_a_rolled_back_change_publishes_nothing(shared_db, shared_settings):
    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        with shared_db.transaction() as conn:
            record_event(conn, new_event())
            raise Boom
    assert OutboxRelay(shared_db, Bus.from_settings(shared_settings)).drain() == 0


def test_the_same_event_delivered_twice_has_one_effect(shared_settings, shared_db):
    handler = Handler("effects", ("essai.publie",), record_effect)
    bus = Bus.from_settings(shared_settings)
    with running_consumer(shared_settings, shared_db, [handler]):
        event = new_event()
        message = event.to_message()
        bus.publish_many([message, message])
        other = new_event("second")
        bus.publish_many([other.to_message()])  # a marker: when it is applied, both were seen
        wait_until(lambda: effects(shared_db, other.id) == 1)
        with shared_db.transaction() as conn:
            seen = conn.execute("SELECT count(*) AS n FROM centrale_inbox WHERE event_id = %s",
                                (event.id,)).fetchone()["n"]
        assert seen == 1
        assert effects(shared_db, event.id) == 1
    bus.close()


def test_a_failing_handler_is_retried_then_succeeds(shared_settings, shared_db):
    calls = []
    lock = threading.Lock()

    def flaky(conn, event):
        with lock:
            calls.append(event.id)
            if len(calls) < 2:
                raise RuntimeError("base momentanément indisponible")
        record_effect(conn, event)

    bus = Bus.from_settings(shared_settings)
    with running_consumer(shared_settings, shared_db, [Handler("flaky", ("essai.ouvert",), flaky)]):
        event = new_event(type_="essai.ouvert")
        bus.publish_many([event.to_message()])
        wait_until(lambda: effects(shared_db, event.id) == 1, message="retry did not happen")
    assert len(calls) == 2
    bus.close()


def test_after_the_last_attempt_the_message_waits_in_the_dead_letter_queue(shared_settings,
                                                                           shared_db):
    attempts = []

    def always_fails(conn, event):
        conn.execute("INSERT INTO effects (event_id, note) VALUES (%s, 'rolled back')",
                     (event.id,))
        attempts.append(1)
        raise ValueError("modèle de courriel introuvable")

    handler = Handler("broken", ("essai.change",), always_fails)
    bus = Bus.from_settings(shared_settings)
    with running_consumer(shared_settings, shared_db, [handler], max_attempts=3) as consumer:
        dead_queue = consumer.queues["broken"].dead
        event = new_event(type_="essai.change")
        bus.publish_many([event.to_message()])
        wait_until(lambda: len(attempts) >= 3, message="not retried three times")
        dead = wait_until(lambda: drain_dead(bus, dead_queue), message="nothing dead-lettered")
    assert len(attempts) == 3
    assert effects(shared_db, event.id) == 0  # each failed attempt rolled back its effect
    payload, headers = dead[0]
    assert payload["id"] == str(event.id)
    assert headers[ATTEMPTS_HEADER] == 3
    assert "modèle de courriel introuvable" in headers[ERROR_HEADER]
    bus.close()


def test_a_malformed_envelope_is_dead_lettered_at_once(shared_settings, shared_db):
    handler = Handler("effects", ("essai.modifie",), record_effect)
    bus = Bus.from_settings(shared_settings)
    with running_consumer(shared_settings, shared_db, [handler]) as consumer:
        dead_queue = consumer.queues["effects"].dead
        bus.publish_many([{"type": "essai.modifie", "id": str(uuid.uuid4()), "data": "??"}])
        dead = wait_until(lambda: drain_dead(bus, dead_queue), message="poison not dead-lettered")
    assert "enveloppe invalide" in dead[0][1][ERROR_HEADER]
    assert effects(shared_db) == 0
    bus.close()


def test_events_of_one_transaction_leave_in_the_order_they_were_written(shared_settings,
                                                                        shared_db):
    events = [new_event(note=str(n)) for n in range(30)]
    with shared_db.transaction() as conn:
        for event in events:
            record_event(conn, event)
    with shared_db.transaction() as conn:
        rows = conn.execute("SELECT id FROM centrale_outbox WHERE published_at IS NULL"
                            " ORDER BY seq").fetchall()
    assert [row["id"] for row in rows] == [event.id for event in events]
