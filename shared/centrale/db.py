"""PostgreSQL access through a psycopg 3 connection pool.

Rows come back as dicts. A unit of work is ``with db.transaction() as conn:`` — it commits on
success and rolls back on error, so the outbox row and the change it announces always land
together.
"""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from .settings import Settings


class Database:
    def __init__(self, dsn: str, min_size: int = 1, max_size: int = 10, name: str = "db") -> None:
        self.dsn = dsn
        self.pool = ConnectionPool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            # Dates leave the database in Europe/Paris, the time zone people read.
            kwargs={"row_factory": dict_row, "autocommit": False,
                    "options": "-c timezone=Europe/Paris"},
            open=False,
            name=name,
            # A restarted PostgreSQL leaves dead connections in the pool: check before lending.
            check=ConnectionPool.check_connection,
            reconnect_timeout=3600,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> "Database":
        return cls(settings.db_dsn, settings.db_pool_min, settings.db_pool_max, settings.service)

    def open(self) -> "Database":
        self.pool.open(wait=False)
        return self

    def close(self) -> None:
        self.pool.close()

    @contextmanager
    def transaction(self) -> Iterator[psycopg.Connection]:
        with self.pool.connection() as conn:
            with conn.transaction():
                yield conn

    def ping(self, timeout: float = 2.0) -> None:
        """Raise unless a fresh connection answers ``SELECT 1``; used by /readyz."""
        with psycopg.connect(self.dsn, connect_timeout=max(1, int(timeout))) as conn:
            conn.execute("SELECT 1")
