"""A bad record never costs its page: the others are stored, it is quarantined with its whole raw
text; an unread part is counted in the report, never silently dropped."""

import json
from pathlib import Path

import pytest

from centrale.testing import prepared_settings
from veille.ingest import ingest_files

pytestmark = pytest.mark.integration

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def stored_ids(db) -> list[str]:
    with db.transaction() as conn:
        return [row["source_id"] for row in conn.execute(
            "SELECT source_id FROM tender_notices ORDER BY source_id")]


def test_a_boamp_page_with_one_bad_record_imports_the_others_and_quarantines_it_whole(veille_db):
    page = FIXTURES / "boamp-api-page-one-bad-record.json"
    report = ingest_files(veille_db, prepared_settings("veille"), [page], progress=False)

    assert stored_ids(veille_db) == ["26-140101", "26-140103"]
    assert (report.notices, report.created, report.quarantined) == (2, 2, 1)
    assert report.failed_files == {}
    assert report.announced == 3  # the page's total_count
    with veille_db.transaction() as conn:
        [row] = conn.execute("SELECT origin, reason, excerpt, content FROM quarantine").fetchall()
    assert row["origin"] == f"{page}#2"
    assert row["reason"] == ("enregistrement BOAMP « 26-140102 » (n° 2) : "
                             "champ « objet » : texte attendu, pas une liste")
    bad = json.loads(page.read_text(encoding="utf-8"))["results"][1]
    assert json.loads(row["content"]) == bad  # the whole record, donnees and gestion included
    assert len(row["content"]) > 2000 >= len(row["excerpt"])
    summary = report.summary(dry_run=False)
    assert "enregistrement en quarantaine" in summary and "26-140102" in summary


def test_an_unreadable_file_is_quarantined_whole(veille_db, tmp_path):
    broken = tmp_path / "tronque.xml"
    content = (FIXTURES / "boamp-attribution-firminy-espaces-verts.xml").read_text(encoding="utf-8")[:3000]
    broken.write_text(content, encoding="utf-8")
    report = ingest_files(veille_db, prepared_settings("veille"), [broken], progress=False)
    assert report.quarantined == 1
    with veille_db.transaction() as conn:
        row = conn.execute("SELECT reason, content FROM quarantine").fetchone()
    assert "tronqué" in row["reason"]
    assert row["content"] == content


def test_an_unknown_donnees_shape_is_reported_and_its_notice_stored(veille_db, caplog):
    page = FIXTURES / "boamp-api-page-attributions.json"
    with caplog.at_level("WARNING", logger="veille.ingest"):
        report = ingest_files(veille_db, prepared_settings("veille"), [page], progress=False)
    assert report.quarantined == 0
    assert report.unread == [f"{page} : enregistrement BOAMP « 26-131955 » (n° 6) : donnees de forme inconnue"
                             " (schéma « 9.0.1 », clés : FORMULAIRE_NATIONAL_V9)"]
    assert "26-131955" in stored_ids(veille_db)
    assert "non lu" in report.summary(dry_run=False)
    assert [record.unread for record in caplog.records if hasattr(record, "unread")] == [
        "donnees de forme inconnue (schéma « 9.0.1 », clés : FORMULAIRE_NATIONAL_V9)"]
