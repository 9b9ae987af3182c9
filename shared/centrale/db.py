"""PostgreSQL access through a psycopg 3 connection pool.

Rows come back as dicts. A unit of work is ``with db.transaction() as conn:`` — it commits on
success and rolls back on error, so the outbox row and the change it announces always land
together.
"""

from __future__ import annotations

import select
from contextlib import contextmanager
from typing import Iterator

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from .settings import Settings


def check_idle_connection(conn: psycopg.Connection) -> None:
    """Raise if a pooled connection is dead, without a round trip when it is plainly alive.

    An idle connection has nothing to say: a socket with something to read means the server
    ended the session (PostgreSQL restarted, backend terminated: it sends its farewell or
    closes the socket), and only then is the full ``SELECT`` check paid — it raises on a dead
    connection. psycopg_pool's own check costs a round trip on every loan, one per transaction.
    """
    if conn.closed or conn.broken:
        raise psycopg.OperationalError("connection closed")
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:
        ConnectionPool.check_connection(conn)


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
            check=check_idle_connection,
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
    def transaction(self, pipelined: bool = False) -> Iterator[psycopg.Connection]:
        """A unit of work. ``pipelined``: statements whose results nobody reads yet travel
        together with BEGIN and COMMIT (psycopg's pipeline mode) — for a write path whose few
        statements would otherwise wait for the server one by one."""
        with self.pool.connection() as conn:
            if pipelined:
                with conn.pipeline(), conn.transaction():
                    yield conn
            else:
                with conn.transaction():
                    yield conn

    def ping(self, timeout: float = 2.0) -> None:
        """Raise unless a fresh connection answers ``SELECT 1``; used by /readyz."""
        with psycopg.connect(self.dsn, connect_timeout=max(1, int(timeout))) as conn:
            conn.execute("SELECT 1")
