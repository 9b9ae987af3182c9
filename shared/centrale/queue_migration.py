"""Classic queues moved to quorum queues, losing no message (``S queues``).

RabbitMQ cannot change a queue's type in place, and refuses to declare a queue again with
another type (PRECONDITION_FAILED). For each of a handler's queues (main, ``.retry``,
``.dead``) that exists as a classic queue, with the service's bus processes stopped:

1. a quorum holding queue ``<name>.migration`` is declared with the same bindings, so events
   published from now on land there;
2. the classic queue is unbound, then its messages are moved to the holding queue (each
   published with confirms before it is acknowledged in the classic queue);
3. the classic queue, now empty, is deleted and declared again as a quorum queue with its
   bindings; the holding queue's messages are moved into it, and the holding queue deleted.

A message is in one queue or, for an instant, in two (a crash between publish and ack): the
consumers' inbox absorbs that duplicate. Running it again resumes an interrupted move (a
holding queue left behind is emptied into the quorum queue) and does nothing once done.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from amqp.exceptions import NotFound, PreconditionFailed
from kombu import Queue

from .bus import QUORUM, Bus, HandlerQueues

log = logging.getLogger(__name__)

HOLDING_SUFFIX = ".migration"


@dataclass
class MigrationReport:
    migrated: list[str] = field(default_factory=list)  # classic queues now quorum
    moved_messages: int = 0
    already_quorum: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)  # to be declared by the bus process

    def summary(self, dry_run: bool) -> str:
        verb = "à migrer" if dry_run else "migrées"
        lines = [f"{len(self.migrated)} file(s) classique(s) {verb} en files quorum"
                 + ("" if dry_run else f", {self.moved_messages} message(s) déplacé(s)")]
        lines += [f"  {name}" for name in self.migrated]
        lines.append(f"{len(self.already_quorum)} déjà quorum, {len(self.absent)} absente(s)"
                     " (déclarées au démarrage du processus bus)")
        return "\n".join(lines)


def _exists(conn, name: str) -> tuple[bool, int]:
    channel = conn.channel()
    try:
        _name, count, _consumers = channel.queue_declare(name, passive=True)
        return True, count
    except NotFound:
        return False, 0
    finally:
        if channel.is_open:
            channel.close()


def _is_as_declared(conn, queue: Queue) -> bool:
    """Whether the existing queue has the arguments the bus declares (a quorum queue)."""
    channel = conn.channel()
    try:
        queue(channel).declare()
        return True
    except PreconditionFailed:
        return False
    finally:
        if channel.is_open:
            channel.close()


def _move(conn, source: str, target: str) -> int:
    """Move every message of ``source`` to ``target``: publish (confirmed), then ack."""
    channel = conn.channel()
    producer = conn.Producer(channel=conn.default_channel)  # confirm_publish on the connection
    moved = 0
    while (message := channel.basic_get(source, no_ack=False)) is not None:
        properties = message.properties
        producer.publish(message.body, routing_key=target, exchange="",
                         content_type=properties.get("content_type"),
                         content_encoding=properties.get("content_encoding"),
                         headers=properties.get("application_headers") or {},
                         message_id=properties.get("message_id"), delivery_mode=2)
        channel.basic_ack(message.delivery_tag)
        moved += 1
    channel.close()
    return moved


def migrate_queue(conn, queue: Queue, report: MigrationReport, dry_run: bool) -> None:
    holding = Queue(queue.name + HOLDING_SUFFIX, bindings=list(queue.bindings), durable=True,
                    queue_arguments=dict(QUORUM))
    exists, _count = _exists(conn, queue.name)
    held, _ = _exists(conn, holding.name)
    if not exists and not held:
        report.absent.append(queue.name)
        return
    if exists and _is_as_declared(conn, queue) and not held:
        report.already_quorum.append(queue.name)
        return
    report.migrated.append(queue.name)
    if dry_run:
        return
    channel = conn.channel()
    holding(channel).declare()  # bound: new events wait there from now on
    if exists and not _is_as_declared(conn, queue):
        for binding in queue.bindings:
            channel.queue_unbind(queue.name, binding.exchange.name, binding.routing_key)
        report.moved_messages += _move(conn, queue.name, holding.name)
        conn.channel().queue_delete(queue.name)
    queue(channel).declare()  # a quorum queue, bound again
    report.moved_messages += _move(conn, holding.name, queue.name)
    channel.queue_delete(holding.name)
    channel.close()
    log.info("queue migrated to quorum", extra={"queue": queue.name})


def migrate_to_quorum(bus: Bus, handler_queues: list[HandlerQueues],
                      dry_run: bool = False) -> MigrationReport:
    report = MigrationReport()
    with bus.connect(connect_timeout=10) as conn:
        bus.exchange(conn.channel()).declare()
        for queues in handler_queues:
            # The dead and retry queues first: the main queue's consumers are stopped anyway.
            for queue in (queues.dead, queues.retry, queues.main):
                migrate_queue(conn, queue, report, dry_run)
    return report
