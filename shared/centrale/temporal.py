"""Temporal from synchronous code (Flask views, CLI) and the worker runner every service uses.

Flask views are synchronous; the Temporal client is asyncio. :class:`TemporalBridge` owns one
event loop in a daemon thread and one lazily connected client, created after gunicorn forks,
and runs coroutines on it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import os
import signal
import sys
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any, Awaitable, Callable, Sequence, TypeVar

from temporalio.client import Client
from temporalio.common import RetryPolicy
from temporalio.worker import Worker

from .settings import Settings

log = logging.getLogger(__name__)
T = TypeVar("T")

# One policy for every activity unless it says otherwise: bounded, with backoff.
DEFAULT_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), backoff_coefficient=2.0,
                            maximum_interval=timedelta(minutes=1), maximum_attempts=10)


_clients_made = threading.Event()


def client_was_made() -> bool:
    """Whether this process connected to Temporal (see :func:`leave`)."""
    return _clients_made.is_set()


async def connect(settings: Settings, runtime=None) -> Client:
    from .tracing import temporal_interceptors

    _clients_made.set()
    extra = {"runtime": runtime} if runtime is not None else {}
    return await Client.connect(settings.temporal_address, namespace=settings.temporal_namespace,
                                interceptors=temporal_interceptors(), **extra)


def leave(code: int) -> None:
    """End a command. A process that held a Temporal client ends without interpreter
    teardown: the client's Rust threads can crash it there (SIGSEGV, SIGABRT —
    temporalio/sdk-python#300) after the work is done, failing ``make up`` at random."""
    if not client_was_made():
        sys.exit(code)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


class TemporalUnavailable(ConnectionError):
    """Temporal's frontend could not be reached (the web layer answers 503)."""


class TemporalBridge:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._loop: asyncio.AbstractEventLoop | None = None
        self._client: Client | None = None
        self._lock = threading.Lock()

    def _ensure_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                loop = asyncio.new_event_loop()
                threading.Thread(target=loop.run_forever, name="temporal-bridge",
                                 daemon=True).start()
                self._loop = loop
            return self._loop

    def run(self, make_coroutine: Callable[[Client], Awaitable[T]], timeout: float = 10.0) -> T:
        """Run ``make_coroutine(client)`` on the bridge's loop and wait for its result."""
        loop = self._ensure_loop()

        async def call() -> T:
            if self._client is None:
                try:
                    self._client = await asyncio.wait_for(connect(self.settings), timeout)
                except RuntimeError as exc:  # the SDK's « Failed client connect »
                    raise TemporalUnavailable(str(exc)) from exc
            return await make_coroutine(self._client)

        future: Future = asyncio.run_coroutine_threadsafe(call(), loop)
        return future.result(timeout)

    def ping(self, timeout: float = 2.0) -> None:
        """Raise unless the Temporal frontend answers its health check."""

        async def check(client: Client) -> Any:
            return await client.service_client.check_health(timeout=timedelta(seconds=timeout))

        self.run(check, timeout=timeout + 1)


async def serve_worker(settings: Settings, workflows: Sequence[type],
                       activities: Sequence[Callable], stop: asyncio.Event,
                       task_queue: str | None = None, runtime=None,
                       started: Callable[[], None] | None = None) -> None:
    """Poll ``task_queue`` (the service's own by default) until ``stop`` is set, then let
    running activities finish. The one way a worker runs: the ``S worker`` process
    (:func:`run_worker`) and the tests' worker threads (``centrale.testing``) both use it."""
    queue = task_queue or settings.task_queue
    client = await connect(settings, runtime)
    # Activities are plain synchronous functions (psycopg, SMTP): they run on threads.
    with ThreadPoolExecutor(max_workers=8) as executor:
        async with Worker(client, task_queue=queue, workflows=list(workflows),
                          activities=list(activities), activity_executor=executor):
            log.info("worker started", extra={"task_queue": queue})
            if started is not None:
                started()
            await stop.wait()


def run_worker(settings: Settings, workflows: Sequence[type], activities: Sequence[Callable],
               task_queue: str | None = None) -> None:
    """Run a worker until SIGTERM or SIGINT, then let running activities finish. With
    ``CENTRALE_TEMPORAL_METRICS_PORT`` set, the SDK serves its worker metrics there."""
    from .metrics import temporal_runtime

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        await serve_worker(settings, workflows, activities, stop, task_queue,
                           runtime=temporal_runtime(settings))

    asyncio.run(main())


def workflow_status(bridge: TemporalBridge, workflow_id: str) -> dict[str, Any]:
    """The status of a workflow and, once completed, its result (a dataclass result becomes a
    dict, ready for JSON)."""
    from temporalio.client import WorkflowExecutionStatus
    from temporalio.service import RPCError, RPCStatusCode

    async def describe(client: Client) -> dict[str, Any]:
        handle = client.get_workflow_handle(workflow_id)
        try:
            description = await handle.describe()
        except RPCError as exc:
            if exc.status == RPCStatusCode.NOT_FOUND:
                return {"workflow_id": workflow_id, "status": "NOT_FOUND", "result": None}
            raise
        status = description.status or WorkflowExecutionStatus.RUNNING
        result = None
        if status == WorkflowExecutionStatus.COMPLETED:
            result = await handle.result()
            if dataclasses.is_dataclass(result):
                result = dataclasses.asdict(result)
        return {"workflow_id": workflow_id, "status": status.name, "result": result}

    return bridge.run(describe)


def start_one_off(bridge: TemporalBridge, run: Callable, *args: Any, prefix: str,
                  task_queue: str) -> str:
    """Start a one-off workflow (an import, a digest asked now) under ``prefix`` and a random
    suffix; its id, for :func:`one_off_status`."""
    import uuid

    workflow_id = f"{prefix}{uuid.uuid4()}"
    bridge.run(lambda client: client.start_workflow(run, *args, id=workflow_id,
                                                    task_queue=task_queue))
    return workflow_id


def one_off_status(bridge: TemporalBridge, workflow_id: str,
                   prefix: str) -> dict[str, Any] | None:
    """:func:`workflow_status` of a workflow :func:`start_one_off` started; None for another
    id, or one Temporal does not know."""
    if not workflow_id.startswith(prefix):
        return None
    status = workflow_status(bridge, workflow_id)
    return None if status["status"] == "NOT_FOUND" else status
