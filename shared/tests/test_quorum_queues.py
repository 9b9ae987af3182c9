"""The bus's queues are quorum queues, and classic queues of before are moved over without
losing a message (``S queues``), over the real RabbitMQ."""

import uuid
from dataclasses import replace
from urllib.parse import quote, urlparse

import pytest
import requests
from kombu import Connection, Queue

from centrale.bus import Bus
from centrale.consumer import Handler
from centrale.events import Event
from centrale.queue_migration import migrate_to_quorum
from centrale.testing import running_consumer, wait_until

pytestmark = pytest.mark.integration


def queue_type(bus: Bus, name: str) -> str | None:
    """The queue's type, from the management API (port 15672)."""
    url = urlparse(bus.amqp_url)
    response = requests.get(f"http://{url.hostname}:15672/api/queues/%2F/{quote(name, safe='')}",
                            auth=(url.username, url.password), timeout=10)
    if response.status_code == 404:
        return None
    response.raise_for_status()
    return response.json()["type"]


def depth(bus: Bus, name: str) -> int:
    with bus.connect() as conn:
        return conn.channel().queue_declare(name, passive=True)[1]


def classic(queue: Queue) -> Queue:
    """The queue as the bus declared it before quorum queues (no x-queue-type)."""
    arguments = {k: v for k, v in queue.queue_arguments.items()
                 if k not in ("x-queue-type", "x-dead-letter-strategy", "x-overflow")}
    return Queue(queue.name, bindings=list(queue.bindings), durable=True,
                 queue_arguments=arguments)


@pytest.fixture
def bus(shared_settings):
    # Retries wait a minute here: a retry message must still be in its queue when moved.
    bus = Bus.from_settings(replace(shared_settings, bus_retry_delay_ms=60_000))
    yield bus
    bus.close()


def test_the_bus_declares_quorum_queues(bus):
    queues = bus.queues_for("essai", f"quorum-{uuid.uuid4().hex[:6]}", ("essai.quorum",))
    bus.declare(queues)
    try:
        for queue in (queues.main, queues.retry, queues.dead):
            assert queue_type(bus, queue.name) == "quorum"
    finally:
        with bus.connect() as conn:
            for queue in (queues.main, queues.retry, queues.dead):
                conn.channel().queue_delete(queue.name)


def test_classic_queues_move_to_quorum_with_every_message(bus, shared_settings, shared_db):
    name = f"migration-{uuid.uuid4().hex[:6]}"
    queues = bus.queues_for(shared_settings.service, name, ("essai.migre",))
    with bus.connect() as conn:
        channel = conn.channel()
        bus.exchange(channel).declare()
        for queue in (queues.main, queues.retry, queues.dead):
            classic(queue)(channel).declare()
    waiting = [Event(type="essai.migre", subject=f"essai:{n}", producer="tests", data={"n": n})
               for n in range(30)]
    bus.publish_many([e.to_message() for e in waiting])  # into the classic main queue
    retrying = [Event(type="essai.migre", subject=f"essai:r{n}", producer="tests",
                      data={"n": 100 + n}) for n in range(2)]
    dead = [Event(type="essai.migre", subject=f"essai:d{n}", producer="tests",
                  data={"n": 200 + n}) for n in range(3)]
    for event in retrying:
        bus.send_to_queue(queues.retry.name, event.to_message(), {"x-centrale-attempts": 1})
    for event in dead:
        bus.send_to_queue(queues.dead.name, event.to_message(), {"x-centrale-error": "panne"})
    assert queue_type(bus, queues.main.name) == "classic"
    wait_until(lambda: depth(bus, queues.main.name) == 30)

    # Looking first changes nothing.
    planned = migrate_to_quorum(bus, [queues], dry_run=True)
    assert sorted(planned.migrated) == sorted(q.name for q in (queues.main, queues.retry,
                                                                queues.dead))
    assert queue_type(bus, queues.main.name) == "classic"

    report = migrate_to_quorum(bus, [queues])
    assert report.moved_messages == 2 * (30 + 2 + 3)  # each message moved out, then back in
    for queue in (queues.main, queues.retry, queues.dead):
        assert queue_type(bus, queue.name) == "quorum"
        assert queue_type(bus, queue.name + ".migration") is None
    assert depth(bus, queues.main.name) == 30
    assert depth(bus, queues.retry.name) == 2
    with Connection(bus.amqp_url) as conn:
        queue = conn.SimpleQueue(queues.dead)
        letters = [queue.get(timeout=2) for _ in range(3)]
        assert {m.payload["id"] for m in letters} == {str(e.id) for e in dead}
        assert {m.headers["x-centrale-error"] for m in letters} == {"panne"}
        for message in letters:
            message.requeue()
        queue.close()

    # A second run finds nothing to do.
    again = migrate_to_quorum(bus, [queues])
    assert again.migrated == [] and len(again.already_quorum) == 3

    # The new queue is bound: events published now reach it, and the consumer applies every
    # one of them once, the moved ones included.
    later = Event(type="essai.migre", subject="essai:apres", producer="tests", data={"n": 999})
    bus.publish_many([later.to_message()])
    seen = []
    handler = Handler(name, ("essai.migre",), lambda conn, event: seen.append(event.data["n"]))
    # The consumer declares its queues as the bus does (the retry queue's delay included).
    settings = replace(shared_settings, bus_retry_delay_ms=60_000)
    with running_consumer(settings, shared_db, [handler]):
        wait_until(lambda: len(seen) >= 31, timeout=30)
    assert sorted(seen) == list(range(30)) + [999]
