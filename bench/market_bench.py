"""The market's figures: a new profile matched at once against 100,000 open tenders of the
territory (``backfill``), and a buyer's page read through the API among 1,000,000 awards
(``awards``)."""

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
from veille.matcher import Matcher
from veille.service import definition
from veille.store.profiles import create_profile

from .search_bench import existing_rows, percentile, psycopg_autocommit, reference_tables
from .synthetic import WORDS, cpv_codes

OPEN_TENDERS = 100_000
AWARDS = 1_000_000
AWARDS_PER_TENDER = 4
BUYERS = 5_000
WINNERS = 20_000


def _insert_tenders(conn, start: int, stop: int, codes: int, awarded: bool) -> None:
    """Tenders of the territory (42 and 43), from French words and real CPV codes: open ones
    closing within four months, or awarded ones ended over the last three years."""
    closes = ("NULL" if awarded else "now() + (1 + g % 120) * interval '1 day'")
    conn.execute(f"""
        INSERT INTO tenders (procedure_key, title, description, buyer_name, buyer_key,
            cpv_main, cpv_codes, cpv_prefixes, departments, estimated_amount, deadline,
            closes_at, result, notice_type, reserved, social_clause, in_territory,
            contract_end, notice)
        SELECT 'bench:' || g, initcap(w1.w) || ' ' || w2.w || ' et ' || w3.w,
               'Marché de ' || w2.w || ' pour la commune.', 'Commune n° ' || (g % {BUYERS}),
               'nom:commune n ' || (g % {BUYERS}), c.c, ARRAY[c.c],
               ARRAY[left(c.c, 2), left(c.c, 3), left(c.c, 4), left(c.c, 5), left(c.c, 6),
                     left(c.c, 7), c.c],
               ARRAY[CASE WHEN g % 2 = 0 THEN '42' ELSE '43' END], (g % 2000) * 1000,
               {closes}, {closes}, {"'awarded'" if awarded else "NULL"},
               {"'award'" if awarded else "'contract'"},
               CASE WHEN g % 9 = 0 THEN ARRAY['insertion'] ELSE '{{}}' END, g % 7 = 0, true,
               {"current_date - 1000 + g % 1400" if awarded else "NULL"}, '{{}}'::jsonb
        FROM generate_series({start + 1}, {stop}) AS g
        JOIN words w1 ON w1.n = (g * 7) % {len(WORDS)}
        JOIN words w2 ON w2.n = (g * 13 + 3) % {len(WORDS)}
        JOIN words w3 ON w3.n = (g * 17 + 5) % {len(WORDS)}
        JOIN codes c ON c.n = (g * 31) % {codes}""")


def _database(name: str, rows: int, fill) -> Database:
    settings = replace(load_settings("veille"), db_name=name)
    if existing_rows(settings) != rows:  # built once, reused by later runs
        recreate_database(settings)
        migrate(settings, definition().migrations)
        db = Database.from_settings(settings).open()
        with db.transaction() as conn:
            fill(conn)
        with psycopg_autocommit(db) as conn:
            conn.execute("VACUUM ANALYZE")
        db.close()
    migrate(settings, definition().migrations)
    return Database.from_settings(settings).open()


class _Undo(Exception):
    pass


def backfill(tenders: int = OPEN_TENDERS, runs: int = 7) -> dict:
    def fill(conn):
        codes = reference_tables(conn)
        for start in range(0, tenders, 50_000):
            _insert_tenders(conn, start, min(start + 50_000, tenders), len(codes), awarded=False)

    db = _database("bench_backfill", tenders, fill)
    codes = cpv_codes()
    rng = random.Random(3)
    matcher = Matcher()

    def new_profile(structure_id: int, **criteria) -> tuple[float, int]:
        timed: list = []
        try:
            with db.transaction() as conn:
                profile = create_profile(conn, {
                    "structure_id": structure_id, "name": f"bench {structure_id}",
                    "cpv_prefixes": [], "keywords": [], "departments": [], "min_value": None,
                    "max_value": None, "reserved_only": False,
                    "notice_kinds": ["contract", "prior_information", "renewal"], **criteria})
                started = time.perf_counter()
                found = matcher.match_new_profile(conn, profile)
                timed += [time.perf_counter() - started, found]
                raise _Undo  # the next run meets the same tenders, none alerted yet
        except _Undo:
            pass
        return timed[0], timed[1]

    new_profile(1, cpv_prefixes=["9091"], departments=["42"])  # warm the cache
    typical = [new_profile(100 + n, cpv_prefixes=[rng.choice(codes)[:4], rng.choice(codes)[:4]],
                           departments=["42"]) for n in range(runs)]
    broad = [new_profile(200 + n, departments=["42"]) for n in range(3)]
    db.close()
    return {"open_tenders": tenders,
            "profile_s": round(statistics.median(t for t, _ in typical), 3),
            "profile_matched": int(statistics.median(f for _, f in typical)),
            "broad_profile_s": round(statistics.median(t for t, _ in broad), 3),
            "broad_profile_matched": broad[0][1]}


def awards(count: int = AWARDS, pages: int = 200) -> dict:
    tenders = count // AWARDS_PER_TENDER

    def fill(conn):
        codes = reference_tables(conn)
        for start in range(0, tenders, 50_000):
            _insert_tenders(conn, start, min(start + 50_000, tenders), len(codes), awarded=True)
        conn.execute(f"""
            INSERT INTO awards (tender_id, lot_id, winner_key, winner_name, winner_siret,
                                amount, currency, awarded_on, contract_end, source, source_id,
                                cpv_class)
            SELECT t.id, lot::text, w.siret, 'Titulaire n° ' || w.n, w.siret,
                   (t.id % 500 + 1) * 1000, 'EUR', t.contract_end - 730, t.contract_end,
                   'decp', t.procedure_key || '-' || lot, left(t.cpv_main, 4)
            FROM tenders t CROSS JOIN generate_series(1, {AWARDS_PER_TENDER}) AS lot
            CROSS JOIN LATERAL (SELECT (t.id * 7 + lot * 13) % {WINNERS} AS n) AS k
            CROSS JOIN LATERAL (SELECT k.n, lpad((10000000000000 + k.n)::text, 14, '0')
                                AS siret) AS w""")

    settings = replace(load_settings("veille"), db_name="bench_awards")
    _database(settings.db_name, tenders, fill).close()
    rng = random.Random(9)
    buyers = [f"nom:commune n {rng.randrange(BUYERS)}" for _ in range(pages)]
    winners = [f"{10000000000000 + rng.randrange(WINNERS):014d}" for _ in range(pages // 2)]
    port = free_port()
    env = {**os.environ, "CENTRALE_DB_NAME": settings.db_name}
    token = service_token(settings.require_token_secret(), "bench", ttl_s=3600)
    buyer_ms, winner_ms = [], []
    with processes(gunicorn_command("veille", port, env)):
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while not http_ready(f"{base}/healthz") and time.monotonic() < deadline:
            time.sleep(0.2)
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {token}"
        for key in buyers[:20]:  # warm the worker, its pool and the cache
            session.get(f"{base}/api/buyers/{key}").raise_for_status()
        for key in buyers:
            started = time.perf_counter()
            session.get(f"{base}/api/buyers/{key}").raise_for_status()
            buyer_ms.append((time.perf_counter() - started) * 1000)
        for siret in winners:
            started = time.perf_counter()
            session.get(f"{base}/api/winners/{siret}").raise_for_status()
            winner_ms.append((time.perf_counter() - started) * 1000)
    return {"awards": count, "tenders": tenders, "buyers": BUYERS,
            "buyer_page_p50_ms": round(statistics.median(buyer_ms), 1),
            "buyer_page_p95_ms": round(percentile(buyer_ms, 0.95), 1),
            "winner_page_p95_ms": round(percentile(winner_ms, 0.95), 1)}
