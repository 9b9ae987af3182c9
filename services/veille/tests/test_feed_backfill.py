"""Feeds that lose nothing, through the real Temporal dev server against a local replay of the
sources: a BOAMP backlog past the API's offset ceiling read by date windows, the cursor's overlap
reading late-indexed records, TED in iteration mode, DECP's daily files, and each poll's figures
(what the source announced beside what became of it) in feed_polls and GET /api/feeds/polls."""

import copy
import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from temporalio.client import WorkflowFailureError

from veille.demo import DEMO_DATA
from veille.feeds.replay import Replay, replay_server
from veille.workflows import FeedPollInput

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parent / "fixtures"
TEMPLATE = json.loads((FIXTURES / "boamp-api-page-one-bad-record.json").read_text(encoding="utf-8"))["results"][0]


def boamp_record(idweb: str, published: date) -> dict:
    """A contract notice of our own fixture, under another IDWEB and publication date."""
    record = copy.deepcopy(TEMPLATE)
    record.update(idweb=idweb, id=idweb.replace("-", "_"), filename=idweb, dateparution=published.isoformat(),
                  url_avis=f"https://www.boamp.fr/pages/avis/?q=idweb:{idweb}")
    record["gestion"] = record["gestion"].replace("26-140101", idweb)
    # Titles of their own: notices of one buyer with one title and deadline are one procedure.
    record["objet"] = f"{record['objet']} ({idweb})"
    record["gestion"] = record["gestion"].replace("talus communaux", f"talus communaux ({idweb})")
    record["donnees"] = record["donnees"].replace("talus communaux", f"talus communaux ({idweb})")
    return record


def stored(db, source="boamp") -> list[str]:
    with db.transaction() as conn:
        return [row["source_id"] for row in conn.execute(
            "SELECT source_id FROM tender_notices WHERE source = %s ORDER BY source_id", (source,))]


def polls(db) -> list[dict]:
    with db.transaction() as conn:
        return conn.execute("SELECT * FROM feed_polls ORDER BY id").fetchall()


def cursor(db, source: str) -> dict:
    with db.transaction() as conn:
        return conn.execute("SELECT cursor FROM feed_cursors WHERE source = %s", (source,)).fetchone()["cursor"]


def test_a_backlog_past_the_offset_ceiling_is_read_window_by_window(poll, veille_db):
    first = date(2026, 10, 1)
    # 25 notices over five days (5 a day), behind a source that refuses offset + limit > 10.
    records = [boamp_record(f"26-2{day}{n:03d}", first + timedelta(days=day)) for day in range(5) for n in range(5)]
    with replay_server(Replay(records, {}, max_offset=10)) as replay:
        result = poll(FeedPollInput("boamp", replay.base_url, page_size=4, first_since=first.isoformat(),
                                    max_offset=10))
    assert result.finished
    assert stored(veille_db) == sorted(r["idweb"] for r in records)  # every one, none refused
    windows = [query for query in replay.boamp_queries if "dateparution<" in query]
    assert windows, "the open window holds 25 records: it must be halved"
    assert all(len(replay.boamp_window(query)) <= 10 for query in windows
               if replay.boamp_queries.count(query) > 1)  # the windows read by offsets fit
    [recorded] = polls(veille_db)
    assert recorded["status"] == "finished"
    assert (recorded["announced"], recorded["received"], recorded["created"]) == (25, 25, 25)
    assert recorded["quarantined"] == recorded["skipped"] == 0


def test_a_single_day_over_the_ceiling_is_read_up_to_it_and_the_rest_counted_skipped(poll, veille_db):
    day = date(2026, 10, 5)
    records = [boamp_record(f"26-6000{n}", day) for n in range(6)]
    with replay_server(Replay(records, {}, max_offset=4)) as replay:
        result = poll(FeedPollInput("boamp", replay.base_url, page_size=2, first_since=day.isoformat(),
                                    max_offset=4))
    assert result.finished and len(stored(veille_db)) == 4
    [recorded] = polls(veille_db)
    # Nothing silently lost: the two records the source will not serve are a figure.
    assert (recorded["announced"], recorded["created"], recorded["skipped"]) == (6, 4, 2)


def test_a_caught_up_cursor_overlaps_and_reads_a_record_indexed_late(poll, veille_db):
    today = datetime.now(timezone.utc).date()
    yesterday = today - timedelta(days=1)
    records = [boamp_record("26-300001", yesterday), boamp_record("26-300002", today)]
    replay = Replay(records, {})
    with replay_server(replay):
        poll(FeedPollInput("boamp", replay.base_url, page_size=10, first_since=yesterday.isoformat(),
                           overlap_days=2))
        # The cursor went back two days: the next poll reads them again.
        assert cursor(veille_db, "boamp")["since"] <= yesterday.isoformat()
        # A notice published yesterday but indexed after the first poll.
        replay.boamp_records.append(boamp_record("26-300003", yesterday))
        second = poll(FeedPollInput("boamp", replay.base_url, page_size=10, overlap_days=2))
    assert stored(veille_db) == ["26-300001", "26-300002", "26-300003"]
    assert (second.counts.created, second.counts.unchanged) == (1, 2)  # the overlap is safe
    last = polls(veille_db)[-1]
    assert (last["announced"], last["created"], last["unchanged"]) == (3, 1, 2)


def test_a_failed_poll_is_recorded_with_its_figures_and_error(poll, veille_db):
    first = date(2026, 10, 1)
    records = [boamp_record(f"26-4000{n}", first) for n in range(6)]
    replay = Replay(records, {})
    replay.fail["boamp:3"] = -1
    with replay_server(replay):
        with pytest.raises(WorkflowFailureError):
            poll(FeedPollInput("boamp", replay.base_url, page_size=3, first_since=first.isoformat(),
                               retry_attempts=2, retry_initial_s=0.2))
    [recorded] = polls(veille_db)
    assert recorded["status"] == "failed"
    # Said in French for the staff's « Relevés de la veille », not as the exception's repr.
    assert recorded["error"] == "127.0.0.1 a répondu 503 : la source est indisponible pour l'instant."
    assert (recorded["pages"], recorded["received"], recorded["created"]) == (1, 3, 3)
    assert recorded["last_cursor"]["position"] == 3  # where the next poll resumes


def test_ted_is_walked_in_iteration_mode(poll, veille_db):
    base = (DEMO_DATA / "eforms-cn-saint-etienne-metropole-espaces-verts.xml").read_bytes()
    # Five procedures of their own: another publication number, ContractFolderID and title each.
    notices = {f"10000{n}-2026": base.replace(b"00781234-2026", f"0010000{n}-2026".encode())
               .replace(b"b71e0a54-9c3d-4f28-8e6a-2d5f13c7a9e0", f"b71e0a54-9c3d-4f28-8e6a-2d5f13c7a9e{n}".encode())
               .replace(b"sites m\xc3\xa9tropolitains</cbc:Name>", f"sites n\u00b0 {n}</cbc:Name>".encode())
               for n in range(5)}
    notices["100005-2026"] = None  # listed without an XML link
    with replay_server(Replay([], notices)) as replay:
        result = poll(FeedPollInput("ted", replay.base_url, page_size=2, first_since="2026-11-01"))
    # The replay refuses page numbers: every search carried the iteration token of the previous one.
    assert [r for r in replay.requests if r.startswith("ted:")] == ["ted:0", "ted:2", "ted:4"]
    assert result.finished and stored(veille_db, "ted") == sorted(n for n in notices if notices[n])
    [recorded] = polls(veille_db)
    assert (recorded["announced"], recorded["received"], recorded["created"], recorded["skipped"]) == (6, 6, 5, 1)


def decp_day(contracts: list[dict]) -> bytes:
    return json.dumps({"marches": {"marche": contracts}}, ensure_ascii=False).encode()


def test_decp_daily_files_are_polled_like_the_other_feeds(poll, veille_db):
    contracts = json.loads((DEMO_DATA / "decp-loire-marches.json").read_text(encoding="utf-8"))["marches"]["marche"]
    broken = {**contracts[3], "objet": ["pas", "du texte"]}
    days = {"2026-11-28": decp_day(contracts[:2]), "2026-11-29": decp_day([contracts[2], broken])}
    with replay_server(Replay([], {}, decp_days=days)) as replay:
        result = poll(FeedPollInput("decp", f"{replay.base_url}/decp/dataset", first_since="2026-11-28"))
    assert result.finished
    assert [r for r in replay.requests if r.startswith("decp:2")] == ["decp:2026-11-28", "decp:2026-11-29"]
    assert sorted(stored(veille_db, "decp")) == sorted(c["id"] for c in contracts[:3])
    [recorded] = polls(veille_db)
    assert (recorded["announced"], recorded["received"], recorded["created"], recorded["quarantined"]) == (4, 4, 3, 1)
    assert cursor(veille_db, "decp") == {"since": "2026-11-29"}  # the last day is read again next time
    with veille_db.transaction() as conn:
        [row] = conn.execute("SELECT origin, content FROM quarantine").fetchall()
    assert row["origin"] == "decp:2026-11-29#2" and json.loads(row["content"]) == broken


def test_polls_are_listed_for_staff_with_the_nothing_missed_figure(poll, veille_db, make_service_app,
                                                                  service_headers, make_headers):
    first = date(2026, 10, 1)
    with replay_server(Replay([boamp_record(f"26-5000{n}", first) for n in range(3)], {})) as replay:
        poll(FeedPollInput("boamp", replay.base_url, page_size=2, first_since=first.isoformat()))
    client = make_service_app("veille").test_client()
    listed = client.get("/api/feeds/polls?source=boamp", headers=service_headers)
    assert listed.status_code == 200
    [row] = listed.json
    assert (row["source"], row["status"], row["announced"], row["created"], row["missing"]) == (
        "boamp", "finished", 3, 3, 0)
    assert client.get("/api/feeds/polls?source=ted", headers=service_headers).json == []
    assert client.get("/api/feeds/polls?source=rss", headers=service_headers).status_code == 422
    member = make_headers("membre", structure_id=1)
    assert client.get("/api/feeds/polls", headers=member).status_code == 403
