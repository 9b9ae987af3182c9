"""The pool lends live connections: one whose backend was terminated is replaced, not lent."""

import psycopg

from centrale.db import Database, check_idle_connection


def backend_pids(db: Database) -> set[int]:
    pids = set()
    connections = [db.pool.getconn() for _ in range(2)]
    try:
        for conn in connections:
            pids.add(conn.info.backend_pid)
    finally:
        for conn in connections:
            db.pool.putconn(conn)
    return pids


def test_a_terminated_backend_is_replaced_before_a_transaction_uses_it(shared_settings):
    db = Database(shared_settings.db_dsn, min_size=2, max_size=2, name="test-check").open()
    try:
        db.pool.wait(timeout=10)
        pooled = backend_pids(db)
        assert len(pooled) == 2
        with psycopg.connect(shared_settings.db_dsn, autocommit=True) as admin:
            for pid in pooled:
                # With a timeout it returns once the backend has exited (its farewell sent):
                # a backend still running its exit would race the check, as in real life.
                admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))
        # Every transaction succeeds, on connections the check found dead and replaced.
        for _ in range(4):
            with db.transaction() as conn:
                assert conn.execute("SELECT 41 + 1 AS n").fetchone()["n"] == 42
                assert conn.info.backend_pid not in pooled
    finally:
        db.close()


def test_the_check_passes_a_live_idle_connection_and_refuses_a_closed_one(shared_settings):
    with psycopg.connect(shared_settings.db_dsn) as conn:
        check_idle_connection(conn)  # alive and idle: no error
        conn.close()
        try:
            check_idle_connection(conn)
        except psycopg.OperationalError:
            pass
        else:
            raise AssertionError("a closed connection passed the check")
