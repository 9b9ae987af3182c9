"""Anticipation: DECP contracts of the territory ending within 12 months are expected renewals."""

from datetime import date

import pytest

from veille.demo import DEMO_DATA
from veille.ingest import IngestReport, Ingester
from veille.domain.notices import normalize
from veille.ingest import notice_record
from centrale.testing import outbox_events
from veille.matcher import Matcher

pytestmark = pytest.mark.integration

DECP = DEMO_DATA / "decp-loire-marches.json"


def ingest_decp(db, settings, today):
    records = [notice_record(n) for n in normalize(DECP.read_bytes(), DECP.name)]
    Ingester(db, settings, today=today).store(records, IngestReport(), "decp")
    with db.transaction() as conn:
        return conn.execute("SELECT id, title, renewal_expected_on FROM tenders"
                            " ORDER BY renewal_expected_on NULLS LAST, id").fetchall()


def test_contracts_ending_within_twelve_months_are_expected_renewals(veille_db, veille_settings):
    rows = ingest_decp(veille_db, veille_settings, date(2026, 12, 2))
    ends = [r["renewal_expected_on"] for r in rows]
    assert len(rows) == 4 and all(ends)
    assert min(ends) == date(2027, 1, 9) and max(ends) == date(2027, 9, 1)


def test_a_contract_ending_later_is_not_yet_a_renewal(veille_db, veille_settings):
    rows = ingest_decp(veille_db, veille_settings, date(2026, 3, 1))
    # Twelve months from 1 March 2026: the contracts ending 9 January and 1 March 2027 only.
    assert [r["renewal_expected_on"] for r in rows if r["renewal_expected_on"]] == [
        date(2027, 1, 9), date(2027, 3, 1)]
    assert sum(r["renewal_expected_on"] is None for r in rows) == 2


def test_renewals_are_matched_and_marked(make_service_app, veille_db, veille_settings,
                                         service_headers):
    rows = ingest_decp(veille_db, veille_settings, date(2026, 12, 2))
    client = make_service_app("veille").test_client()
    with veille_db.transaction() as conn:
        cpvs = conn.execute("SELECT cpv_main FROM tenders WHERE id = %s",
                            (rows[0]["id"],)).fetchone()["cpv_main"]
    created = client.post("/api/profiles", headers=service_headers,
                          json={"structure_id": 3, "name": "Renouvellements",
                                "cpv_prefixes": [cpvs[:4]], "notice_kinds": ["renewal"]})
    assert created.json["found"] >= 1  # matched at once against what is already known
    [alert] = [e["data"] for e in outbox_events(veille_db, "tender.matched")
               if e["data"]["tender_id"] == rows[0]["id"]]
    assert alert["expected_renewal"] is True
    assert alert["reasons"][-1] == "renouvellement attendu vers le samedi 9 janvier 2027"
    with veille_db.transaction() as conn:
        assert Matcher().match_tender(conn, rows[0]["id"]) == []  # told once
