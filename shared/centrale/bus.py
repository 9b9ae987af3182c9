"""The message bus: one durable topic exchange on RabbitMQ, routing key = event type.

Publishing waits for the broker's confirm of every message, so a message the relay marks as
published is really in a queue. Each handler of a consumer owns one durable queue, with a
retry queue (messages wait there ``retry_delay_ms`` then return) and a dead-letter queue where
a message lands after its last failed attempt, for a person to look at.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any, Iterable

from kombu import Connection, Exchange, Producer, Queue, binding

from .settings import Settings

log = logging.getLogger(__name__)

ATTEMPTS_HEADER = "x-centrale-attempts"
ERROR_HEADER = "x-centrale-error"
# Quorum queues: replicated over a RabbitMQ cluster's nodes (Raft), so that a message a
# publisher saw confirmed survives the loss of a node. A classic queue cannot become one in
# place: `S queues` moves existing classic queues over (centrale.queue_migration).
QUORUM = {"x-queue-type": "quorum"}


@dataclass(frozen=True)
class HandlerQueues:
    main: Queue
    retry: Queue
    dead: Queue


class Bus:
    def __init__(self, amqp_url: str, exchange_name: str, queue_prefix: str = "",
                 retry_delay_ms: int = 2000, queue_expires_ms: int = 0) -> None:
        self.amqp_url = amqp_url
        self.exchange = Exchange(exchange_name, type="topic", durable=True)
        self.queue_prefix = queue_prefix
        self.retry_delay_ms = retry_delay_ms
        self.expiry = {"x-expires": queue_expires_ms} if queue_expires_ms else {}
        self._lock = threading.Lock()
        self._connection: Connection | None = None
        self._producer: Producer | None = None
        self._direct: Producer | None = None  # the default exchange: straight to a queue

    @classmethod
    def from_settings(cls, settings: Settings) -> "Bus":
        return cls(settings.amqp_url, settings.exchange, settings.queue_prefix,
                   settings.bus_retry_delay_ms, settings.queue_expires_ms)

    def connect(self, **kwargs: Any) -> Connection:
        return Connection(self.amqp_url, heartbeat=30,
                          transport_options={"confirm_publish": True}, **kwargs)

    def _ensure_producer(self) -> Producer:
        if self._producer is None:
            self._connection = self.connect(connect_timeout=5)
            self._connection.ensure_connection(max_retries=3)
            channel = self._connection.channel()
            self._producer = Producer(channel, exchange=self.exchange)
            self._direct = Producer(channel)
            self.exchange(channel).declare()
        return self._producer

    def _reset(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # already broken; nothing more to release
                pass
        self._connection = None
        self._producer = None
        self._direct = None

    def publish_many(self, envelopes: Iterable[dict[str, Any]],
                     headers: Iterable[dict[str, str] | None] | None = None) -> None:
        """Publish envelopes to the topic exchange, each confirmed by the broker, or raise.
        ``headers`` (one per envelope, or None) travel as AMQP headers: the trace context."""
        envelopes = list(envelopes)
        headers = list(headers) if headers is not None else [None] * len(envelopes)
        with self._lock:
            try:
                producer = self._ensure_producer()
                for envelope, extra in zip(envelopes, headers):
                    producer.publish(
                        envelope,
                        routing_key=envelope["type"],
                        serializer="json",
                        delivery_mode=2,
                        message_id=str(envelope["id"]),
                        content_encoding="utf-8",
                        headers=dict(extra) if extra else None,
                    )
            except Exception:
                self._reset()
                raise

    def send_to_queue(self, queue_name: str, body: Any, headers: dict[str, Any]) -> None:
        """Publish straight to one queue through the default exchange (retries, dead letters)."""
        with self._lock:
            try:
                self._ensure_producer()
                # Producer.publish treats exchange="" as "use mine": hence a second producer.
                self._direct.publish(body, routing_key=queue_name, serializer="json",
                                     delivery_mode=2, headers=headers)
            except Exception:
                self._reset()
                raise

    def queues_for(self, service: str, handler: str, event_types: Iterable[str]) -> HandlerQueues:
        name = f"{self.queue_prefix}{service}.{handler}"
        bindings = [binding(self.exchange, routing_key=t) for t in event_types]
        main = Queue(name, bindings=bindings, durable=True,
                     queue_arguments={**QUORUM, **self.expiry})
        retry = Queue(
            f"{name}.retry",
            durable=True,
            queue_arguments={
                **QUORUM,
                "x-message-ttl": self.retry_delay_ms,
                "x-dead-letter-exchange": "",
                "x-dead-letter-routing-key": name,
                # A quorum queue dead-letters at most once by default: at least once instead
                # (the broker keeps the message until the main queue confirmed it).
                "x-dead-letter-strategy": "at-least-once",
                "x-overflow": "reject-publish",
                **self.expiry,
            },
        )
        dead = Queue(f"{name}.dead", durable=True, queue_arguments={**QUORUM, **self.expiry})
        return HandlerQueues(main, retry, dead)

    def declare(self, queues: HandlerQueues) -> None:
        with self.connect(connect_timeout=5) as conn:
            channel = conn.channel()
            self.exchange(channel).declare()
            for queue in (queues.main, queues.retry, queues.dead):
                queue(channel).declare()

    def ping(self, timeout: float = 2.0) -> None:
        with Connection(self.amqp_url, connect_timeout=timeout) as conn:
            conn.ensure_connection(max_retries=1, timeout=timeout)

    def close(self) -> None:
        with self._lock:
            self._reset()
