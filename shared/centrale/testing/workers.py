"""Workers and consumers in threads of the test process, so that a test can start, stop and
kill them; recorded workflow histories replayed on today's code."""

from __future__ import annotations

import asyncio
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

from ..bus import Bus
from ..consumer import EventConsumer, Handler
from ..db import Database
from ..settings import Settings
from ..temporal import serve_worker


@contextmanager
def running_worker(settings: Settings, workflows: Sequence[type],
                   activities: Sequence[Callable], task_queue: str | None = None) -> Iterator[str]:
    """Run a Temporal worker in a thread for the duration of the block; yield its task queue.
    It is the worker processes' own loop (:func:`centrale.temporal.serve_worker`), stopped by
    an event instead of a signal."""
    queue = task_queue or settings.task_queue
    started = threading.Event()
    failure: list[BaseException] = []
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    def target() -> None:
        try:
            loop.run_until_complete(serve_worker(settings, workflows, activities, stop, queue,
                                                 started=started.set))
        except BaseException as exc:  # surfaced to the test below
            failure.append(exc)
            started.set()

    thread = threading.Thread(target=target, name=f"worker-{queue}", daemon=True)
    thread.start()
    started.wait(30)
    if failure:
        raise failure[0]
    try:
        yield queue
    finally:
        loop.call_soon_threadsafe(stop.set)
        thread.join(30)


@contextmanager
def running_consumer(settings: Settings, db: Database, handlers: Sequence[Handler],
                     max_attempts: int | None = None) -> Iterator[EventConsumer]:
    """Run an event consumer in a thread; its queues are deleted afterwards."""
    consumer = EventConsumer(settings.service, db, Bus.from_settings(settings), handlers,
                             max_attempts=max_attempts or settings.bus_max_attempts)
    consumer.declare()
    thread = threading.Thread(target=consumer.run, name="consumer", daemon=True)
    thread.start()
    try:
        yield consumer
    finally:
        consumer.should_stop = True
        thread.join(15)
        delete_queues(consumer)


def delete_queues(consumer: EventConsumer) -> None:
    with consumer.bus.connect() as conn:
        channel = conn.channel()
        for queues in consumer.queues.values():
            for queue in (queues.main, queues.retry, queues.dead):
                queue(channel).delete()


def run_async(coroutine):
    """Run a coroutine to completion from a synchronous test."""
    return asyncio.run(coroutine)


def replay_recorded(path: Path, workflows: Sequence[type]) -> None:
    """Replay a history recorded as JSON (``WorkflowHistory.to_json()``) on today's workflow
    code; raise ``temporalio.workflow.NondeterminismError`` if the code no longer makes the
    recorded commands (a running workflow would be stuck after a deployment)."""
    from temporalio.client import WorkflowHistory
    from temporalio.worker import Replayer

    history = WorkflowHistory.from_json(path.stem, path.read_text())
    result = run_async(Replayer(workflows=list(workflows)).replay_workflow(history))
    if result.replay_failure is not None:
        raise result.replay_failure
