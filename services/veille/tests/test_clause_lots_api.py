"""The social-clause facilitator's list in veille: every lot of the territory's tenders that
carries a social or insertion clause, one row per lot, with the hours its notice asks for and
its winners; a tender flagged as a whole with no lot flagged is one row; tenders outside the
territory or without a clause are not listed; paged with X-Pagination, open to anyone signed
in (notices are public)."""

import json
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

pytestmark = pytest.mark.integration

DEADLINE = (datetime.now(ZoneInfo("Europe/Paris")).replace(microsecond=0)
            + timedelta(days=30)).isoformat()


def tender(source_id, title, departments=("42",), lots=(), **extra):
    return {"source": "boamp", "source_id": source_id, "title": title,
            "buyer": {"name": "Ville de Firminy", "siret": "21420099400019"},
            "cpv_main": "77310000", "deadline": DEADLINE,
            "place": {"departments": list(departments)}, "lots": list(lots), **extra}


@pytest.fixture
def client(make_service_app, veille_db):
    return make_service_app("veille").test_client()


def test_the_lots_with_a_clause_one_row_each_with_hours_and_winners(client, service_headers,
                                                                    make_headers):
    def post(body):
        answer = client.post("/api/tenders", json=body, headers=service_headers)
        assert answer.status_code == 201, answer.json
        return answer.json["id"]

    lots = post(tender("28-1", "Espaces verts de Firminy", procedure_id="P-28-1", lots=[
        {"id": "1", "title": "Tonte", "cpv_main": "77310000", "insertion_clause": True,
         "insertion_hours": 350},
        {"id": "2", "title": "Élagage", "cpv_main": "77211400"},
        {"id": "3", "title": "Fleurissement", "cpv_main": "77311000", "social_clause": True}]))
    whole = post(tender("28-2", "Nettoyage de la mairie", social_clause=True))
    post(tender("28-3", "Espaces verts de Lyon", departments=("69",), insertion_clause=True))
    post(tender("28-4", "Sans clause"))
    assert post(tender("28-1-A", "Attribution : espaces verts de Firminy", notice_type="award",
                       procedure_id="P-28-1", awards=[
                           {"lot": "1", "winner": {"name": "Régie Verte",
                                                   "siret": "73282932000074"}}])) == lots

    facilitator = make_headers("facilitateur", subject="user:fac")
    listed = client.get("/api/tenders/clause-lots", headers=facilitator)
    assert listed.status_code == 200, listed.json
    rows = {(row["tender_id"], row["lot_id"]): row for row in listed.json}
    assert set(rows) == {(lots, "1"), (lots, "3"), (whole, None)}
    assert json.loads(listed.headers["X-Pagination"])["total"] == 3
    tonte = rows[(lots, "1")]
    assert (tonte["lot_title"], tonte["insertion_clause"], tonte["insertion_hours"]) == (
        "Tonte", True, 350)
    assert (tonte["state"], tonte["winners"]) == (
        "awarded", [{"winner_name": "Régie Verte", "winner_siret": "73282932000074"}])
    assert rows[(lots, "3")]["winners"] == []
    assert (rows[(lots, "3")]["social_clause"], rows[(lots, "3")]["insertion_hours"]) == (
        True, None)
    assert rows[(whole, None)]["state"] == "open"

    insertion = client.get("/api/tenders/clause-lots", headers=facilitator,
                           query_string={"clause": "insertion"}).json
    assert [(row["tender_id"], row["lot_id"]) for row in insertion] == [(lots, "1")]
    refused = client.get("/api/tenders/clause-lots", headers=facilitator,
                         query_string={"status": "ouvert"})
    assert refused.status_code == 422
    assert list(refused.json["errors"]["query"]) == ["status"]
