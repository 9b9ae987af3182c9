"""Polling the live sources, against a local server replaying recorded responses, through the
real Temporal dev server: every page once, retries, and a failed run resumed by the next."""

from pathlib import Path

import pytest
from temporalio.client import WorkflowFailureError

from centrale.testing import outbox_events
from veille.feeds.replay import Replay, recorded_boamp_records, replay_server
from veille.demo import DEMO_DATA
from veille.workflows import FeedPollInput

pytestmark = pytest.mark.integration

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
SAMPLES = SAMPLES if SAMPLES.is_dir() else None


@pytest.fixture
def boamp_records():
    return recorded_boamp_records(SAMPLES, DEMO_DATA)


def stored_source_ids(db):
    with db.transaction() as conn:
        return [r["source_id"] for r in conn.execute(
            "SELECT source_id FROM tender_notices WHERE source = 'boamp' ORDER BY source_id")]


def page_size_for(records):
    return 10 if len(records) >= 20 else 2


def test_a_boamp_poll_imports_every_page_once(poll, veille_db, boamp_records):
    size = page_size_for(boamp_records)
    with replay_server(Replay(boamp_records, {})) as replay:
        result = poll(FeedPollInput("boamp", replay.base_url, page_size=size,
                                    first_since="2015-03-01"))
    assert result.finished and result.notices == len(boamp_records)
    offsets = [r for r in replay.requests if r.startswith("boamp:")]
    assert offsets == [f"boamp:{o}" for o in range(0, len(boamp_records) + 1, size)
                       ][:len(offsets)]
    assert len(set(offsets)) == len(offsets)  # no page asked twice
    assert stored_source_ids(veille_db) == sorted(r["idweb"] for r in boamp_records)


def test_a_transient_failure_is_retried_within_the_run(poll, veille_db, boamp_records):
    size = page_size_for(boamp_records)
    replay = Replay(boamp_records, {})
    replay.fail[f"boamp:{size}"] = 1
    with replay_server(replay):
        result = poll(FeedPollInput("boamp", replay.base_url, page_size=size,
                                    first_since="2015-03-01", retry_initial_s=0.2))
    assert result.finished
    assert replay.requests.count(f"boamp:{size}") == 2
    assert stored_source_ids(veille_db) == sorted(r["idweb"] for r in boamp_records)


def test_a_run_that_fails_half_way_is_resumed_without_duplicates(poll, veille_db, boamp_records):
    size = page_size_for(boamp_records)
    replay = Replay(boamp_records, {})
    replay.fail[f"boamp:{size}"] = -1  # the second page is down for good
    with replay_server(replay):
        with pytest.raises(WorkflowFailureError):
            poll(FeedPollInput("boamp", replay.base_url, page_size=size,
                               first_since="2015-03-01", retry_attempts=2, retry_initial_s=0.2))
        assert len(stored_source_ids(veille_db)) == size  # the first page is in
        replay.fail.clear()
        replay.requests.clear()
        result = poll(FeedPollInput("boamp", replay.base_url, page_size=size,
                                    first_since="2015-03-01"))
    assert replay.requests[0] == f"boamp:{size}"  # resumed where it stopped
    assert result.finished
    assert stored_source_ids(veille_db) == sorted(r["idweb"] for r in boamp_records)
    with veille_db.transaction() as conn:
        tenders = conn.execute("SELECT count(*) AS n FROM tenders").fetchone()["n"]
    assert len(outbox_events(veille_db, "tender.published")) == tenders


def test_a_ted_poll_reads_the_search_then_each_notice(poll, veille_db):
    notices = {"100001-2026": (DEMO_DATA / "eforms-cn-saint-etienne-metropole-espaces-verts.xml"
                               ).read_bytes()}
    if SAMPLES:
        for path in sorted((SAMPLES / "eforms" / "ted-published").glob("*.xml")):
            notices[path.stem] = path.read_bytes()
    with replay_server(Replay([], notices)) as replay:
        result = poll(FeedPollInput("ted", replay.base_url, page_size=2,
                                    first_since="2026-11-01"))
    assert result.finished and result.notices == len(notices)
    assert sorted(r for r in replay.requests if r.startswith("ted-xml:")) == \
        [f"ted-xml:{n}" for n in sorted(notices)]
    with veille_db.transaction() as conn:
        stored = conn.execute("SELECT count(*) AS n FROM tender_notices WHERE source = 'ted'"
                              ).fetchone()["n"]
    assert stored == len(notices)
