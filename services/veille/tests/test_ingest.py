"""Files of notices into veille's database, twice: the same rows, no second event."""

import pytest

from centrale.db import Database
from centrale.testing import outbox_events, prepared_settings
from veille.demo import DEMO_DATA
from veille.ingest import ingest_files

pytestmark = pytest.mark.integration


@pytest.fixture
def db(veille_db):
    return veille_db


SETTINGS = prepared_settings("veille")


def snapshot(db):
    with db.transaction() as conn:
        return conn.execute("SELECT n.source, n.source_id, t.title, t.deadline, t.version"
                            " FROM tender_notices n JOIN tenders t ON t.id = n.tender_id"
                            " ORDER BY n.source, n.source_id").fetchall()


def test_importing_the_demo_files_twice_leaves_the_same_rows(db):
    first = ingest_files(db, SETTINGS, [DEMO_DATA], progress=False)
    assert first.failed_files == {}
    # 10 notices, 9 procedures: the corrigendum 26-119877 belongs to 26-118342's procedure.
    assert (first.notices, first.created, first.updated) == (10, 9, 1)
    rows = snapshot(db)
    second = ingest_files(db, SETTINGS, [DEMO_DATA], progress=False)
    assert (second.unchanged, second.created, second.updated) == (10, 0, 0)
    assert snapshot(db) == rows
    assert len(outbox_events(db, "tender.published")) == 9
    updated = outbox_events(db, "tender.updated")
    assert len(updated) == 1
    assert updated[0]["data"]["changes"]["deadline"] == {
        "before": "2027-01-12T12:00:00+01:00", "after": "2027-01-26T12:00:00+01:00"}
    with db.transaction() as conn:
        tender = conn.execute(
            "SELECT t.deadline, t.version, array_agg(n.source_id ORDER BY n.source_id) AS ids"
            " FROM tenders t JOIN tender_notices n ON n.tender_id = t.id"
            " WHERE n.source_id = '26-118342' GROUP BY t.id").fetchone()
    assert tender["version"] == 2
    assert tender["deadline"].isoformat() == "2027-01-26T12:00:00+01:00"
    with db.transaction() as conn:
        ids = conn.execute(
            "SELECT array_agg(source_id ORDER BY source_id) AS ids FROM tender_notices"
            " WHERE tender_id = (SELECT tender_id FROM tender_notices WHERE source_id = '26-118342')"
        ).fetchone()["ids"]
    assert ids == ["26-118342", "26-119877"]


def test_a_dry_run_writes_nothing_and_a_bad_file_does_not_stop_the_others(db, tmp_path):
    (tmp_path / "a-broken.xml").write_text("<ANNONCE><GESTION>", encoding="utf-8")
    (tmp_path / "b-good.xml").write_bytes(
        (DEMO_DATA / "boamp-le-puy-restauration-scolaire.xml").read_bytes())
    dry = ingest_files(db, SETTINGS, [tmp_path], dry_run=True, progress=False)
    assert dry.notices == 1 and list(dry.failed_files) == [str(tmp_path / "a-broken.xml")]
    assert snapshot(db) == []
    real = ingest_files(db, SETTINGS, [tmp_path], progress=False)
    assert real.created == 1
    assert [r["source_id"] for r in snapshot(db)] == ["26-121456"]


def test_the_same_procedure_in_two_sources_is_one_tender(db):
    from veille.ingest import IngestReport, Ingester

    base = {"notice_type": "contract", "description": "", "cpv_additional": [],
            "buyer": {"name": "Département de la Haute-Loire", "siret": "22430001500012",
                      "nuts": "FRK13"},
            "place": {"nuts": ["FRK13"], "departments": ["43"]}, "estimated_value": None,
            "procedure_type": "open", "reserved": [], "social_criteria": False, "lots": [],
            "url": None, "language": "fr", "cpv_main": "90911200"}
    boamp = {**base, "source": "boamp", "source_id": "26-500001", "procedure_id": "uuid-proc-1",
             "title": "Nettoyage des collèges", "deadline": "2027-03-01T12:00:00+01:00"}
    ted = {**base, "source": "ted", "source_id": "700001-2026", "procedure_id": "uuid-proc-1",
           "title": "Nettoyage des collèges", "deadline": "2027-03-01T12:00:00+01:00",
           "estimated_value": {"amount": 250000, "currency": "EUR"}}
    # No shared procedure id, but the same buyer, title and deadline day: the same call.
    again = {**base, "source": "boamp", "source_id": "26-500777", "procedure_id": None,
             "title": "NETTOYAGE des Collèges", "deadline": "2027-03-01T11:00:00+01:00"}
    report = IngestReport()
    Ingester(db, SETTINGS).store([boamp, ted, again], report, "test")
    assert (report.created, report.updated, report.unchanged) == (1, 1, 1)
    with db.transaction() as conn:
        tenders = conn.execute("SELECT id, estimated_amount, version FROM tenders").fetchall()
        sources = conn.execute("SELECT source, source_id FROM tender_notices ORDER BY source_id"
                               ).fetchall()
    assert len(tenders) == 1
    # TED filled what BOAMP lacked (the value): a new version, announced with that change only.
    assert float(tenders[0]["estimated_amount"]) == 250000.0
    assert tenders[0]["version"] == 2
    [updated] = outbox_events(db, "tender.updated")
    assert updated["data"]["changes"] == {"estimated_value": {
        "before": None, "after": {"amount": 250000, "currency": "EUR"}}}
    assert [(s["source"], s["source_id"]) for s in sources] == [
        ("boamp", "26-500001"), ("boamp", "26-500777"), ("ted", "700001-2026")]


def test_a_batch_stores_its_new_tenders_together_and_merges_or_quarantines_the_others(db):
    """New tenders take the batched path; a notice sharing its procedure with another of the
    batch, one already known, and a malformed one each take the notice-by-notice path."""
    from veille.ingest import IngestReport, Ingester

    def notice(source_id, procedure_id, title, **extra):
        return {"source": "boamp", "source_id": source_id, "procedure_id": procedure_id,
                "notice_type": "contract", "title": title, "description": "",
                "buyer": {"name": "Ville de Firminy", "siret": "21420099800019", "nuts": "FRK25"},
                "place": {"nuts": ["FRK25"], "departments": ["42"]}, "cpv_main": "90911200",
                "cpv_additional": [], "estimated_value": None, "procedure_type": "open",
                "reserved": [], "social_criteria": False, "url": None, "language": "fr",
                "deadline": "2027-03-01T12:00:00+01:00",
                "lots": [{"id": "1", "title": "Écoles", "cpv_main": "90911200",
                          "estimated_value": {"amount": 40000, "currency": "EUR"},
                          "deadline": None, "reserved": ["insertion"]}], **extra}

    report = IngestReport()
    Ingester(db, SETTINGS).store([notice("26-600001", "p-known", "Entretien des gymnases")],
                                 report, "first")
    batch = [
        notice("26-600010", "p-new", "Nettoyage des écoles maternelles"),
        notice("26-600020", "p-pair", "Vitrerie des équipements sportifs"),
        notice("26-600021", "p-pair", "Vitrerie des équipements sportifs",
               notice_type="corrigendum", deadline="2027-03-15T12:00:00+01:00"),
        notice("26-600002", "p-known", "Entretien des gymnases",
               notice_type="corrigendum", deadline="2027-04-01T12:00:00+01:00"),
        notice("26-600030", "p-bad", "Avis malformé", lots="pas une liste"),
        notice("26-600040", "p-other", "Espaces verts des cimetières"),
    ]
    report = IngestReport()
    Ingester(db, SETTINGS).store(batch, report, "batch")
    assert (report.notices, report.created, report.updated, report.quarantined) == (6, 3, 2, 1)
    with db.transaction() as conn:
        tenders = {r["procedure_key"]: r for r in conn.execute(
            "SELECT t.procedure_key, t.deadline, t.version, count(l.*) AS lots,"
            " array_agg(DISTINCT n.source_id) AS notices FROM tenders t"
            " LEFT JOIN tender_lots l ON l.tender_id = t.id"
            " JOIN tender_notices n ON n.tender_id = t.id GROUP BY t.id")}
        quarantined = conn.execute("SELECT origin, reason FROM quarantine").fetchall()
    assert set(tenders) == {"procedure:p-known", "procedure:p-new", "procedure:p-pair",
                            "procedure:p-other"}
    assert tenders["procedure:p-new"]["lots"] == 1
    assert sorted(tenders["procedure:p-pair"]["notices"]) == ["26-600020", "26-600021"]
    assert tenders["procedure:p-pair"]["deadline"].isoformat() == "2027-03-15T12:00:00+01:00"
    assert tenders["procedure:p-known"]["version"] == 2
    assert [q["origin"] for q in quarantined] == ["batch#26-600030"]
    published = {e["data"]["source_id"] for e in outbox_events(db, "tender.published")}
    assert published == {"26-600001", "26-600010", "26-600020", "26-600040"}
    new = [e for e in outbox_events(db, "tender.published") if e["data"]["source_id"] == "26-600010"]
    assert new[0]["data"]["tender"]["lots"][0]["reserved"] == ["insertion"]
    assert new[0]["data"]["deadline"] == "2027-03-01T12:00:00+01:00"
    assert {e["data"]["deadline"] for e in outbox_events(db, "tender.updated")} == {
        "2027-03-15T12:00:00+01:00", "2027-04-01T12:00:00+01:00"}


def test_a_call_seen_in_two_sources_is_one_tender_but_two_calls_of_one_source_are_two(db):
    from datetime import date

    from veille.ingest import IngestReport, Ingester

    def call(source, source_id, procedure_id):
        return {"source": source, "source_id": source_id, "procedure_id": procedure_id,
                "notice_type": "contract", "title": "Entretien des ascenseurs des résidences",
                "buyer": {"name": "Office public de l'habitat de Roanne", "siret": None},
                "deadline": "2031-04-02T12:00:00+02:00", "lots": [],
                "place": {"nuts": [], "departments": ["42"]}}

    ingester = Ingester(db, SETTINGS, today=date(2030, 1, 1))
    ingester.store([call("boamp", "31-1", "31-1")], IngestReport(), "t")
    ingester.store([call("ted", "111-2031", "OPH-ASC-A")], IngestReport(), "t")  # same call
    ingester.store([call("ted", "222-2031", "OPH-ASC-B")], IngestReport(), "t")  # another one
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT n.source_id, n.tender_id FROM tender_notices n WHERE n.source_id IN"
            " ('31-1', '111-2031', '222-2031') ORDER BY n.source_id").fetchall()
    tender = {row["source_id"]: row["tender_id"] for row in rows}
    assert tender["31-1"] == tender["111-2031"] != tender["222-2031"]
