"""Tender search on 1,000,000 tenders: the API's latency percentiles beside the bare SQL of the
same searches (the ratio is what the web layer costs)."""

from __future__ import annotations

import os
import random
import statistics
import time
from dataclasses import replace

import requests

from centrale.auth import service_token
from centrale.db import Database
from centrale.migrations import migrate
from centrale.settings import load_settings
from centrale.testing import free_port, gunicorn_command, http_ready, processes, recreate_database
from veille.service import definition
from veille.store.search import search_tenders

from .memory import children, peak_rss_mib
from .synthetic import ALL_DEPARTMENTS, WORDS, cpv_codes

TENDERS = 1_000_000
BATCH = 100_000


def reference_tables(conn) -> list[str]:
    """Temporary tables of French words, real CPV codes and départements, numbered, that the
    rows generated in SQL pick from; the CPV codes."""
    codes = cpv_codes()
    for table, column, values in (("words", "w", WORDS), ("codes", "c", codes),
                                  ("deps", "d", ALL_DEPARTMENTS)):
        conn.execute(f"CREATE TEMP TABLE {table} (n int, {column} text)")
        with conn.cursor().copy(f"COPY {table} (n, {column}) FROM STDIN") as copy:
            for n, value in enumerate(values):
                copy.write_row((n, value))
    return codes


def fill(db: Database, count: int) -> None:
    """Realistic rows generated inside PostgreSQL (titles from French words, real CPV codes,
    départements all over France, deadlines over two years), then analysed."""
    with db.transaction() as conn:
        codes = reference_tables(conn)
        for start in range(0, count, BATCH):
            conn.execute(f"""
                INSERT INTO tenders (procedure_key, title, description, buyer_name, buyer_key,
                    cpv_main, cpv_codes, cpv_prefixes, departments, estimated_amount, deadline,
                    closes_at, notice_type, reserved, in_territory, notice)
                SELECT 'bench:' || g,
                       initcap(w1.w) || ' ' || w2.w || ' ' || w3.w || ' et ' || w4.w,
                       'Marché de ' || w2.w || ' pour la commune, ' || w5.w || ' compris.',
                       'Commune n° ' || (g % 5000), 'nom:commune n ' || (g % 5000), c.c,
                       ARRAY[c.c],
                       ARRAY[left(c.c, 2), left(c.c, 3), left(c.c, 4), left(c.c, 5),
                             left(c.c, 6), left(c.c, 7), c.c],
                       ARRAY[d.d], (g % 2000) * 1000,
                       now() - interval '365 days' + (g % 730) * interval '1 day',
                       now() - interval '365 days' + (g % 730) * interval '1 day', 'contract', CASE WHEN g % 9 = 0 THEN ARRAY['insertion'] ELSE '{{}}' END,
                       d.d IN ('42', '43'), '{{}}'::jsonb
                FROM generate_series({start + 1}, {min(start + BATCH, count)}) AS g
                JOIN words w1 ON w1.n = (g * 7) % {len(WORDS)}
                JOIN words w2 ON w2.n = (g * 13 + 3) % {len(WORDS)}
                JOIN words w3 ON w3.n = (g * 17 + 5) % {len(WORDS)}
                JOIN words w4 ON w4.n = (g * 19 + 11) % {len(WORDS)}
                JOIN words w5 ON w5.n = (g * 23 + 1) % {len(WORDS)}
                JOIN codes c ON c.n = (g * 31) % {len(codes)}
                JOIN deps d ON d.n = (g * 37) % {len(ALL_DEPARTMENTS)}""")
    with psycopg_autocommit(db) as conn:
        conn.execute("VACUUM ANALYZE tenders")


def existing_rows(settings) -> int:
    import psycopg

    try:
        with psycopg.connect(settings.db_dsn, connect_timeout=3) as conn:
            return conn.execute("SELECT count(*) FROM tenders").fetchone()[0]
    except psycopg.Error:
        return -1


def psycopg_autocommit(db: Database):
    import psycopg

    return psycopg.connect(db.dsn, autocommit=True)


def searches(rng: random.Random, count: int) -> list[dict]:
    codes = cpv_codes()
    kinds = [
        lambda: {"q": rng.choice(WORDS), "department": [rng.choice(ALL_DEPARTMENTS)]},
        lambda: {"cpv": [rng.choice(codes)[:4]], "status": "open"},
        lambda: {"department": [rng.choice(["42", "43"])], "status": "open", "sort": "deadline"},
        lambda: {"q": f"{rng.choice(WORDS)} {rng.choice(WORDS)}", "status": "open"},
        lambda: {"q": rng.choice(WORDS), "status": "open", "sort": "relevance"},
        lambda: {"reserved": True, "department": [rng.choice(ALL_DEPARTMENTS)]},
    ]
    return [rng.choice(kinds)() for _ in range(count)]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def run(tenders: int = TENDERS, queries: int = 300) -> dict:
    settings = replace(load_settings("veille"), db_name="bench_search_v3")
    if existing_rows(settings) != tenders:  # built once, reused by later runs
        recreate_database(settings)
        migrate(settings, definition().migrations)
        filler = Database.from_settings(settings).open()
        fill(filler, tenders)
        filler.close()
    migrate(settings, definition().migrations)  # a kept database gets new indexes too
    db = Database.from_settings(settings).open()
    rng = random.Random(5)
    plan = searches(rng, queries)

    # One untimed pass first: the SQL and the API are then timed on the same warm cache
    # (the figure measured first used to pay for reading the table from disk).
    with db.transaction() as conn:
        for filters in plan:
            search_tenders(conn, filters, 20, 0)
    sql_ms = []
    for filters in plan:
        started = time.perf_counter()
        with db.transaction() as conn:
            search_tenders(conn, filters, 20, 0)
        sql_ms.append((time.perf_counter() - started) * 1000)

    port = free_port()
    env = {**os.environ, "CENTRALE_DB_NAME": settings.db_name}
    token = service_token(settings.require_token_secret(), "bench", ttl_s=3600)
    api_ms = []
    with processes(gunicorn_command("veille", port, env)) as (gunicorn,):
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not http_ready(f"{base}/healthz") and time.monotonic() < deadline:
            time.sleep(0.2)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        for filters in plan[:20]:  # warm the worker and its pool
            session.get(f"{base}/api/tenders", params={**filters, "page_size": 20})
        for filters in plan:
            started = time.perf_counter()
            response = session.get(f"{base}/api/tenders", params={**filters, "page_size": 20})
            api_ms.append((time.perf_counter() - started) * 1000)
            response.raise_for_status()
        api_worker_mib = max(peak_rss_mib(pid) for pid in children(gunicorn.pid))
    db.close()
    api_p95, sql_p95 = percentile(api_ms, 0.95), percentile(sql_ms, 0.95)
    return {"tenders": tenders, "queries": queries,
            "api_p50_ms": round(statistics.median(api_ms), 1), "api_p95_ms": round(api_p95, 1),
            "sql_p50_ms": round(statistics.median(sql_ms), 1), "sql_p95_ms": round(sql_p95, 1),
            "ratio": round(api_p95 / sql_p95, 2), "api_worker_peak_rss_mib": api_worker_mib}
