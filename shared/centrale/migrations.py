"""Schema migrations with yoyo: plain SQL files, applied in order, recorded in the database.

Every service database first receives the shared migrations of this package (outbox, inbox),
then the service's own ``migrations/`` folder.
"""

from __future__ import annotations

import logging
from pathlib import Path

import psycopg
from psycopg import sql
from yoyo import get_backend, read_migrations

from .settings import Settings

SHARED_MIGRATIONS = Path(__file__).with_name("migrations")


def ensure_database(settings: Settings) -> bool:
    """Create the service's database when missing; return True if it was created."""
    with psycopg.connect(settings.dsn_for("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", (settings.db_name,)
        ).fetchone()
        if exists:
            return False
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(settings.db_name)))
        return True


def _sources(service_migrations: Path | None) -> list[str]:
    return [str(SHARED_MIGRATIONS)] + ([str(service_migrations)] if service_migrations else [])


def _backend(settings: Settings):
    return get_backend(settings.db_dsn.replace("postgresql://", "postgresql+psycopg://", 1))


def pending_migrations(settings: Settings, service_migrations: Path | None) -> list[str]:
    backend = _backend(settings)
    migrations = read_migrations(*_sources(service_migrations))
    return [m.id for m in backend.to_apply(migrations)]


def migrate(settings: Settings, service_migrations: Path | None, dry_run: bool = False) -> list[str]:
    """Apply the pending migrations (or only list them with ``dry_run``); return their ids."""
    if dry_run:
        try:
            return pending_migrations(settings, service_migrations)
        except psycopg.OperationalError:
            # The database does not exist yet: everything would be applied.
            return [m.id for m in read_migrations(*_sources(service_migrations))]
    ensure_database(settings)
    logging.getLogger("yoyo").setLevel(logging.WARNING)
    backend = _backend(settings)
    migrations = read_migrations(*_sources(service_migrations))
    with backend.lock():
        todo = backend.to_apply(migrations)
        backend.apply_migrations(todo)
    return [m.id for m in todo]
