"""``centrale_feed_last_success_timestamp_seconds``: what the « feed stale » alert reads — the
later of a source's last finished poll and its cursor's last move, from veille's database."""

from datetime import datetime, timedelta, timezone

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.parser import text_string_to_metric_families

from centrale.db import Database
from centrale.testing import prepared_settings
from veille.metrics import FeedPollCollector

pytestmark = pytest.mark.integration


def exposed(db) -> dict[str, float]:
    registry = CollectorRegistry()
    registry.register(FeedPollCollector(db))
    return {s.labels["source"]: s.value
            for family in text_string_to_metric_families(generate_latest(registry).decode())
            for s in family.samples}


def test_each_source_s_last_successful_read():
    db = Database.from_settings(prepared_settings("veille")).open()
    now = datetime.now(timezone.utc).replace(microsecond=0)
    try:
        with db.transaction() as conn:
            conn.execute("DELETE FROM feed_cursors WHERE source IN ('boamp', 'ted')")
            conn.execute("DELETE FROM feed_polls WHERE source IN ('boamp', 'ted')")
            # BOAMP: a poll finished an hour ago, its cursor moved 5 hours ago.
            conn.execute("INSERT INTO feed_cursors (source, cursor, updated_at) VALUES"
                         " ('boamp', '{}', %s), ('ted', '{}', %s)",
                         (now - timedelta(hours=5), now - timedelta(hours=4)))
            conn.execute("INSERT INTO feed_polls (source, run_id, status, finished_at) VALUES"
                         " ('boamp', 'essai-1', 'finished', %s),"
                         " ('ted', 'essai-2', 'failed', %s)",
                         (now - timedelta(hours=1), now - timedelta(minutes=5)))
        figures = exposed(db)
        assert figures["boamp"] == (now - timedelta(hours=1)).timestamp()
        # A failed poll is no success: TED's last read is its cursor's, 4 hours ago.
        assert figures["ted"] == (now - timedelta(hours=4)).timestamp()
    finally:
        with db.transaction() as conn:
            conn.execute("DELETE FROM feed_cursors WHERE source IN ('boamp', 'ted')")
            conn.execute("DELETE FROM feed_polls WHERE run_id LIKE 'essai-%'")
        db.close()
