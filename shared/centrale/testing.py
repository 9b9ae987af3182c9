"""Pytest fixtures for every service's tests, against the real servers ``make test`` starts.

Isolation without mocks: each test session gets its own databases (``test_<service>``, dropped
and migrated afresh), its own topic exchange and queue prefix on the real RabbitMQ, and its own
Temporal task queues on the real dev server. Workers and consumers run in threads of the test
process, so a test can start, stop and kill them.
"""

from __future__ import annotations

import asyncio
import importlib
import secrets
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator, Sequence

import psycopg
import pytest
from psycopg import sql

from .auth import issue_token, service_token
from .bus import Bus
from .consumer import EventConsumer, Handler
from .db import Database
from .migrations import migrate
from .settings import Settings, load_settings
from .temporal import connect

# The start time (hex seconds) then randomness: stale leftovers of killed runs can be told apart.
RUN_ID = f"{int(time.time()):x}{uuid.uuid4().hex[:4]}"
STALE_AFTER_S = 6 * 3600
TEST_SECRET = secrets.token_urlsafe(48)


def isolated_environment(service: str) -> dict[str, str]:
    """The environment variables that give a child process :func:`isolated_settings`."""
    settings = prepared_settings(service)
    return {
        "CENTRALE_DB_NAME": settings.db_name,
        "CENTRALE_EXCHANGE": settings.exchange,
        "CENTRALE_QUEUE_PREFIX": settings.queue_prefix,
        "CENTRALE_TASK_QUEUE": settings.task_queue,
        "CENTRALE_TOKEN_SECRET": settings.token_secret,
        "CENTRALE_BUS_RETRY_DELAY_MS": str(settings.bus_retry_delay_ms),
        "CENTRALE_BUS_MAX_ATTEMPTS": str(settings.bus_max_attempts),
        "CENTRALE_QUEUE_EXPIRES_MS": str(settings.queue_expires_ms),
    }


def isolated_settings(service: str, **overrides) -> Settings:
    """Settings of ``service`` pointed at this session's test database, exchange and queues."""
    base = load_settings(service)
    return replace(
        base,
        # Per session: two test runs on one machine (two developers' helpers) never collide.
        db_name=f"test_{RUN_ID}_{service}",
        exchange=f"test.{RUN_ID}.events",
        queue_prefix=f"test.{RUN_ID}.",
        task_queue=f"test-{service}-{RUN_ID}",
        bus_retry_delay_ms=200,
        bus_max_attempts=3,
        queue_expires_ms=30 * 60 * 1000,
        token_secret=TEST_SECRET,
        **overrides,
    )


def recreate_database(settings: Settings) -> None:
    with psycopg.connect(settings.dsn_for("postgres"), autocommit=True) as conn:
        name = sql.Identifier(settings.db_name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(name))


_PREPARED: dict[str, Settings] = {}


def drop_test_databases(settings: Settings, only_this_run: bool) -> None:
    """Drop this run's test databases, or those that interrupted runs left hours ago."""
    pattern = f"test\\_{RUN_ID}\\_%" if only_this_run else "test\\_%"
    with psycopg.connect(settings.dsn_for("postgres"), autocommit=True) as conn:
        names = [row[0] for row in conn.execute(
            "SELECT datname FROM pg_database WHERE datname LIKE %s", (pattern,))]
        for name in names:
            if not only_this_run and not _is_stale(name):
                continue
            force = sql.SQL(" WITH (FORCE)") if only_this_run else sql.SQL("")
            try:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
                             + force)
            except psycopg.errors.ObjectInUse:
                pass  # another test run is using it


def _is_stale(database: str) -> bool:
    run_id = database.split("_")[1] if database.count("_") >= 2 else ""
    try:
        started = int(run_id[:-4], 16)
    except ValueError:
        return True  # not named by this plugin's scheme: an old leftover
    return time.time() - started > STALE_AFTER_S


def pytest_sessionstart(session) -> None:
    drop_test_databases(load_settings("centrale"), only_this_run=False)


def pytest_sessionfinish(session, exitstatus) -> None:
    if _PREPARED:
        drop_test_databases(load_settings("centrale"), only_this_run=True)


def prepared_settings(service: str) -> Settings:
    """This session's settings for ``service``, its database created and migrated once."""
    if service not in _PREPARED:
        settings = isolated_settings(service)
        migrations = None  # "centrale": the shared library alone (outbox and inbox)
        if service != "centrale":
            migrations = importlib.import_module(f"{service}.service").definition().migrations
        recreate_database(settings)
        migrate(settings, migrations)
        _PREPARED[service] = settings
    return _PREPARED[service]


@contextmanager
def running_worker(settings: Settings, workflows: Sequence[type],
                   activities: Sequence[Callable], task_queue: str | None = None) -> Iterator[str]:
    """Run a Temporal worker in a thread for the duration of the block; yield its task queue."""
    from temporalio.worker import Worker

    queue = task_queue or settings.task_queue
    started = threading.Event()
    failure: list[BaseException] = []
    loop = asyncio.new_event_loop()
    stop = asyncio.Event()

    async def run() -> None:
        client = await connect(settings)
        with ThreadPoolExecutor(max_workers=8) as executor:
            async with Worker(client, task_queue=queue, workflows=list(workflows),
                              activities=list(activities), activity_executor=executor):
                started.set()
                await stop.wait()

    def target() -> None:
        try:
            loop.run_until_complete(run())
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


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


# -- fixtures ---------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def token_secret() -> str:
    return TEST_SECRET


@pytest.fixture
def service_headers() -> dict[str, str]:
    return bearer(service_token(TEST_SECRET, "tests"))


@pytest.fixture
def make_headers() -> Callable[..., dict[str, str]]:
    """Headers for a person: ``make_headers("membre", structure_id=3)``."""

    def make(role: str, structure_id: int | None = None, subject: str = "user:test"):
        return bearer(issue_token(TEST_SECRET, "tests", subject, role, structure_id=structure_id))

    return make


def wait_until(condition: Callable[[], object], timeout: float = 20.0, interval: float = 0.1,
               message: str = "condition not met"):
    """Poll ``condition`` until it returns something truthy; return it, or fail the test."""
    import time

    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{message} after {timeout} s (last value: {value!r})")
        time.sleep(interval)


@pytest.fixture
def make_service_app():
    """``make_service_app("veille")`` → a Flask app on this session's test resources."""
    apps = []

    def make(service: str):
        settings = prepared_settings(service)
        app = importlib.import_module(f"{service}.app").create_app(settings)
        app.config["TESTING"] = True
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["centrale"].db.close()
        app.extensions["centrale"].bus.close()


def outbox_events(db: Database, event_type: str | None = None) -> list[dict]:
    """The envelopes a service wrote to its outbox, oldest first."""
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT envelope FROM centrale_outbox WHERE %(t)s::text IS NULL OR event_type = %(t)s"
            " ORDER BY seq", {"t": event_type}).fetchall()
    return [row["envelope"] for row in rows]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def processes(*commands, cwd=None):
    """Run ``(argv, env)`` commands as separate OS processes for the block; stop them after."""
    import subprocess

    started = []
    try:
        for argv, env in commands:
            started.append(subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL,
                                            stderr=subprocess.PIPE, start_new_session=True))
        yield started
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()


def http_ready(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:  # refused, or a worker still booting under load
        return False


def gunicorn_command(service: str, port: int, env: dict[str, str]):
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    return ([str(Path(sys.executable).parent / "gunicorn"), "--config",
             str(root / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
             "--workers", "1", f"{service}.app:create_app()"], env)


# The shared library's pure modules, which a service's pure domain may import.
PURE_SHARED_MODULES = {"centrale.french", "centrale.cpv", "centrale.territory"}


def impure_domain_imports(package, forbidden: set[str]) -> list[str]:
    """The imports of a domain package that reach outside pure code (adapters, I/O)."""
    import ast
    from pathlib import Path

    offenders = []
    for path in sorted(Path(package.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {name}" for name in names
                          if name.split(".")[0] in forbidden and name not in PURE_SHARED_MODULES]
    return offenders


def wait_for_port(port: int, timeout: float = 30.0, host: str = "127.0.0.1") -> None:
    """Wait until something listens on ``host:port`` (a server started as a process)."""
    import socket

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {host}:{port} after {timeout} s")


class RoleProcess:
    """A service's process (``S worker``, ``S bus``) on this session's test resources, its
    output in a file, started and waited for its first words; killed like a crash would."""

    def __init__(self, service: str, role: str, log, ready_text: str = "started") -> None:
        import os
        import subprocess
        import sys

        self.log = log
        env = {**os.environ, **isolated_environment(service)}
        self.process = subprocess.Popen([sys.executable, "-m", service, role], env=env,
                                        stdout=log.open("w"), stderr=subprocess.STDOUT)
        wait_until(lambda: ready_text in log.read_text() or self.process.poll() is not None,
                   timeout=30, message=f"{service} {role} did not start")
        assert self.process.poll() is None, log.read_text()

    def kill(self) -> None:
        import signal

        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
