"""Files of notices into veille's database, twice: the same rows, no second event."""

import pytest

from centrale.db import Database
from centrale.testing import outbox_events, prepared_settings
from veille.demo import DEMO_DATA
from veille.ingest import ingest_files

pytestmark = pytest.mark.integration


@pytest.fixture
def db():
    database = Database.from_settings(prepared_settings("veille")).open()
    with database.transaction() as conn:
        conn.execute("TRUNCATE tenders, centrale_outbox")
    yield database
    database.close()


def snapshot(db):
    with db.transaction() as conn:
        return conn.execute("SELECT source, source_id, title, deadline, version FROM tenders"
                            " ORDER BY source, source_id").fetchall()


def test_importing_the_demo_files_twice_leaves_the_same_rows(db):
    first = ingest_files(db, [DEMO_DATA], progress=False)
    assert first.failed_files == {}
    assert first.notices == 10 and first.created == 10
    rows = snapshot(db)
    second = ingest_files(db, [DEMO_DATA], progress=False)
    assert second.unchanged == 10 and second.created == 0 and second.updated == 0
    assert snapshot(db) == rows
    assert len(outbox_events(db, "tender.published")) == 10
    assert outbox_events(db, "tender.updated") == []


def test_a_dry_run_writes_nothing_and_a_bad_file_does_not_stop_the_others(db, tmp_path):
    (tmp_path / "a-broken.xml").write_text("<ANNONCE><GESTION>", encoding="utf-8")
    (tmp_path / "b-good.xml").write_bytes(
        (DEMO_DATA / "boamp-le-puy-restauration-scolaire.xml").read_bytes())
    dry = ingest_files(db, [tmp_path], dry_run=True, progress=False)
    assert dry.notices == 1 and list(dry.failed_files) == [str(tmp_path / "a-broken.xml")]
    assert snapshot(db) == []
    real = ingest_files(db, [tmp_path], progress=False)
    assert real.created == 1
    assert [r["source_id"] for r in snapshot(db)] == ["26-121456"]
