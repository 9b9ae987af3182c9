"""Veille's figures: ingest beside the bare parse rate of the same files, and matching 1,000
notices against 10,000 and 100,000 profiles.

Ingest is what the ingest process does (``veille ingest``, the feed polls): normalise, merge
into tenders, store, and write ``tender.published`` to the outbox. Matching a tender against
the alert profiles happens later, in the bus consumer, one transaction per event: it is timed
apart (``match_ms_per_tender``) and both together give ``with_matching_per_s``."""

from __future__ import annotations

import time
from dataclasses import replace

from centrale.db import Database
from centrale.migrations import migrate
from centrale.settings import load_settings
from centrale.testing import recreate_database
from veille.domain.matching import ProfileIndex
from veille.domain.notices import normalize
from veille.ingest import IngestReport, Ingester
from veille.matcher import Matcher
from veille.service import definition
from veille.store.profiles import create_profile

from . import synthetic
from .memory import traced


def ingest(records: int = 2000, page_size: int = 100) -> dict:
    pages = synthetic.boamp_pages(records, page_size)
    started = time.perf_counter()
    parsed = sum(len(normalize(page, "bench")) for page in pages)
    bare = parsed / (time.perf_counter() - started)

    settings = replace(load_settings("veille"), db_name="bench_veille")
    recreate_database(settings)
    migrate(settings, definition().migrations)
    db = Database.from_settings(settings).open()
    with db.transaction() as conn:
        for profile in synthetic.profiles(1000):
            create_profile(conn, {
                "structure_id": profile.structure_id, "name": f"p{profile.id}",
                "cpv_prefixes": list(profile.cpv_prefixes), "keywords": [],
                "departments": list(profile.departments), "min_value": None,
                "max_value": None, "reserved_only": profile.reserved_only,
                "notice_kinds": ["contract", "prior_information", "renewal"]})
    ingester = Ingester(db, settings)
    matcher = Matcher()
    report = IngestReport()
    started = time.perf_counter()
    for number, page in enumerate(pages):
        ingester.ingest_bytes(page, f"bench:{number}", report)
    stored = time.perf_counter()
    with db.transaction() as conn:
        ids = [r["id"] for r in conn.execute("SELECT id FROM tenders ORDER BY id")]
    matches = 0
    for tender_id in ids:  # as the bus consumer does: a transaction per tender.published
        with db.transaction() as conn:
            matches += len(matcher.match_tender(conn, tender_id))
    finished = time.perf_counter()
    # Memory, untimed: what Python allocates at most while ingesting one more page of new
    # notices (an import holds one page at a time, whatever the file's size).
    extra = synthetic.boamp_pages(page_size, page_size, first=records)[0]
    _, _, page_peak = traced(lambda: ingester.ingest_bytes(extra, "bench:memory", IngestReport()))
    db.close()
    ingest_rate = report.notices / (stored - started)
    return {"notices": report.notices, "tenders_created": report.created, "matches": matches,
            "notices_per_s": round(ingest_rate, 1), "bare_parse_per_s": round(bare, 1),
            "ratio": round(ingest_rate / bare, 3),
            "parse_ms_per_notice": round(1000 / bare, 2),
            "store_ms_per_notice": round(1000 / ingest_rate - 1000 / bare, 2),
            "match_ms_per_tender": round(1000 * (finished - stored) / max(len(ids), 1), 2),
            "with_matching_per_s": round(report.notices / (finished - started), 1),
            f"page_of_{page_size}_peak_mib": page_peak}


def matching(notices: int = 1000) -> dict:
    tenders = synthetic.tenders(notices)
    figures = {}
    for count in (10_000, 100_000):
        # What the index keeps in memory (the bus consumer holds it), measured while built.
        index, retained, _ = traced(lambda: ProfileIndex(synthetic.profiles(count)))
        figures[f"index_mib_{count // 1000}k"] = retained
        started = time.perf_counter()
        found = sum(len(index.match(t)) for t in tenders)
        figures[f"profiles_{count // 1000}k_s"] = round(time.perf_counter() - started, 3)
        figures[f"matches_{count // 1000}k"] = found
    figures["ratio_100k_over_10k"] = round(figures["profiles_100k_s"] / figures["profiles_10k_s"], 2)
    return figures
