"""Each test session's own resources on the real servers: databases ``test_<run>_<service>``
(dropped and migrated afresh), a topic exchange and queue prefix on RabbitMQ, Temporal task
queues; and the settings (or environment, for a child process) that point at them."""

from __future__ import annotations

import importlib
import secrets
import time
import uuid
from dataclasses import replace

import psycopg
from psycopg import sql

from ..migrations import migrate
from ..settings import Settings, load_settings

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
        # The server's clock, not this process's: a run under a faked clock (libfaketime,
        # hours ahead) must not take every other run's databases for leftovers.
        server_now = float(conn.execute("SELECT extract(epoch FROM now())").fetchone()[0])
        for name in names:
            if not only_this_run and not _is_stale(name, server_now):
                continue
            force = sql.SQL(" WITH (FORCE)") if only_this_run else sql.SQL("")
            try:
                conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name))
                             + force)
            except psycopg.errors.ObjectInUse:
                pass  # another test run is using it


def _is_stale(database: str, now: float | None = None) -> bool:
    run_id = database.split("_")[1] if database.count("_") >= 2 else ""
    try:
        started = int(run_id[:-4], 16)
    except ValueError:
        return True  # not named by this plugin's scheme: an old leftover
    return (time.time() if now is None else now) - started > STALE_AFTER_S


def drop_stale_databases() -> None:
    """At a session's start: what interrupted runs left hours ago."""
    drop_test_databases(load_settings("centrale"), only_this_run=False)


def drop_this_run_databases() -> None:
    """At a session's end: this run's databases, if it made any."""
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
