"""The market's memory through the API: a buyer's page, a winner's page, renewals computed again
every day, a search exported as CSV, a profile's private Atom feed."""

import csv
import io
import itertools
import random
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from lxml import etree

from centrale.french import spreadsheet_datetime
from centrale.testing import outbox_events
from veille.ingest import IngestReport, Ingester
from veille.renewals import refresh
from .conftest import know_structures

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.now(PARIS).replace(microsecond=0)
TODAY = NOW.date()
_numbers = itertools.count(random.randint(10_000, 90_000) * 10)


def buyer(number):
    # A SIRET of this test's own: the test database is shared by the session.
    return {"name": f"Commune de Test {number}", "siret": f"2{number:08d}00017"[:14],
            "nuts": None}


def notice(number, source_id, title, *, notice_type="contract", cpv="45442100", lots=(),
           deadline=None, **extra):
    return {"source": "boamp", "source_id": source_id, "procedure_id": f"P-{source_id}",
            "notice_type": notice_type, "title": title, "description": "",
            "buyer": buyer(number), "cpv_main": cpv, "cpv_additional": [],
            "place": {"nuts": [], "departments": ["42"]}, "estimated_value": None,
            "deadline": deadline, "procedure_type": "open", "reserved": [],
            "social_criteria": False, "lots": list(lots), "url": None, "language": "fr", **extra}


@pytest.fixture
def market(make_service_app, veille_db, veille_settings, service_headers):
    client = make_service_app("veille").test_client()

    def ingest(*notices):
        Ingester(veille_db, veille_settings, today=TODAY).store(list(notices), IngestReport(),
                                                                "test")

    def get(path):
        return client.get(path, headers=service_headers)

    return client, ingest, get


def test_a_buyer_page_gathers_its_tenders_awards_renewals_and_its_responsible_purchasing(market):
    _client, ingest, get = market
    number = next(_numbers)
    key = buyer(number)["siret"]
    lots = [{"id": "1", "title": "Façades", "reserved": ["insertion"]},
            {"id": "2", "title": "Toitures", "insertion_clause": True, "social_clause": True},
            {"id": "3", "title": "Menuiseries"}]
    ahead = (NOW + timedelta(days=30)).isoformat()
    ingest(notice(number, f"{number}-1", "Peinture des écoles", lots=lots, deadline=ahead),
           notice(number, f"{number}-2", "Ravalement de la mairie",
                  deadline=(NOW - timedelta(days=60)).isoformat()),
           notice(number, f"{number}-3", "Entretien des chaudières", notice_type="award",
                  cpv="50720000",
                  awards=[{"lot": None, "winner": {"name": "Chauffage Forézien",
                                                    "siret": "44306184100047"},
                           "amount": {"amount": 84000, "currency": "EUR"},
                           "date": (TODAY - timedelta(days=200)).isoformat()}],
                  contract={"start": (TODAY - timedelta(days=200)).isoformat(),
                            "duration_months": 12,
                            "end": (TODAY + timedelta(days=160)).isoformat(),
                            "amount": None, "modifications": []}))
    page = get(f"/api/buyers/{key}")
    assert page.status_code == 200, page.json
    body = page.json
    assert body["name"] == f"Commune de Test {number}" and body["tenders"] == 3
    assert [t["title"] for t in body["open_tenders"]] == ["Peinture des écoles"]
    # A tender's page finds its buyer's page by the key it gives.
    assert get(f"/api/tenders/{body['open_tenders'][0]['id']}").json["buyer_key"] == key
    assert {t["title"]: t["state"] for t in body["past_tenders"]} == {
        "Ravalement de la mairie": "closed", "Entretien des chaudières": "awarded"}
    assert [(a["winner_name"], a["winner_siret"], a["amount"]) for a in body["awards"]] == [
        ("Chauffage Forézien", "44306184100047", 84000)]
    assert [t["title"] for t in body["renewals"]] == ["Entretien des chaudières"]
    # Five lots in all (three, and two tenders without lots): one reserved, one with a clause.
    assert (body["lots"], body["reserved_lots"], body["social_clause_lots"],
            body["insertion_clause_lots"]) == (5, 1, 1, 1)
    found = get(f"/api/buyers?q=commune test {number}").json
    assert [b["key"] for b in found] == [key]
    assert get("/api/buyers/99999999999999").status_code == 404


def test_the_lots_of_one_award_are_listed_in_their_order(market):
    _client, ingest, get = market
    number = next(_numbers)
    awarded_on = (TODAY - timedelta(days=20)).isoformat()
    ingest(notice(number, f"{number}-1", "Entretien des bâtiments", notice_type="award",
                  lots=[{"id": lot, "title": f"Lot {lot}"} for lot in ("1", "2", "10")],
                  awards=[{"lot": lot, "winner": {"name": f"Titulaire {lot}",
                                                  "siret": "44306184100047"},
                           "amount": {"amount": 1000 * int(lot), "currency": "EUR"},
                           "date": awarded_on} for lot in ("1", "2", "10")]))
    body = get(f"/api/buyers/{buyer(number)['siret']}").json
    assert [a["lot"] for a in body["awards"]] == ["1", "2", "10"]


def test_a_winner_page_says_what_it_won_and_who_else_wins_on_its_trades(market):
    _client, ingest, get = market
    number = next(_numbers)
    winner = f"5{number:08d}00011"[:14]
    rival = f"6{number:08d}00012"[:14]
    award = {"lot": "1", "amount": {"amount": 31000, "currency": "EUR"},
             "date": TODAY.isoformat()}
    ingest(notice(number, f"{number}-1", "Tonte des stades", notice_type="award", cpv="77313000",
                  awards=[{**award, "winner": {"name": "ESAT des Monts", "siret": winner}}]),
           notice(number, f"{number}-2", "Tonte des parcs", notice_type="award", cpv="77313100",
                  awards=[{**award, "winner": {"name": "Jardins Réunis", "siret": rival}}]))
    page = get(f"/api/winners/{winner}").json
    assert (page["name"], page["awards_count"], page["awarded_amount"]) == (
        "ESAT des Monts", 1, 31000)
    assert [a["title"] for a in page["awards"]] == ["Tonte des stades"]
    assert page["cpv_classes"] == ["7731"]
    assert rival in [c["siret"] for c in page["competitors"]]
    assert winner not in [c["siret"] for c in page["competitors"]]
    assert get("/api/winners/123").status_code == 404
    assert get("/api/winners/00000000000000").status_code == 404


def test_renewals_are_computed_again_from_contract_ends_and_alerted_once(market, veille_db,
                                                                         service_headers):
    client, ingest, get = market
    number = next(_numbers)
    contract = {"start": (TODAY - timedelta(days=700)).isoformat(), "duration_months": 36,
                "end": (TODAY + timedelta(days=400)).isoformat(), "amount": None,
                "modifications": []}
    ingest(notice(number, f"{number}-1", "Collecte des encombrants", notice_type="award",
                  cpv="90511300", contract=contract, source="decp"))
    with veille_db.transaction() as conn:
        tender = conn.execute("SELECT id, renewal_expected_on FROM tenders"
                              " WHERE procedure_key = %s", (f"procedure:P-{number}-1",)
                              ).fetchone()
    assert tender["renewal_expected_on"] is None  # 400 days away: not yet
    know_structures(veille_db, [number])
    profile = client.post("/api/profiles", headers=service_headers, json={
        "structure_id": number, "name": "Encombrants", "cpv_prefixes": ["905113"],
        "notice_kinds": ["renewal"]}).json
    assert profile["found"] == 0

    later = TODAY + timedelta(days=60)  # two months on, it is within twelve months
    simulated = refresh(veille_db, later, dry_run=True)
    assert (simulated.newly_expected, simulated.alerts) == (1, 0)
    report = refresh(veille_db, later)
    assert (report.newly_expected, report.alerts) >= (1, 1)
    alerts = [e["data"] for e in outbox_events(veille_db, "tender.matched")
              if e["data"]["tender_id"] == tender["id"]]
    assert [(a["structure_id"], a["expected_renewal"]) for a in alerts] == [(number, True)]
    assert refresh(veille_db, later).alerts == 0  # once
    # An avenant carries the contract three years further: no longer expected.
    ingest(notice(number, f"{number}-1", "Collecte des encombrants", notice_type="award",
                  cpv="90511300", source="decp",
                  contract={**contract, "end": (TODAY + timedelta(days=1500)).isoformat()}))
    refresh(veille_db, later)
    with veille_db.transaction() as conn:
        assert conn.execute("SELECT renewal_expected_on FROM tenders WHERE id = %s",
                            (tender["id"],)).fetchone()["renewal_expected_on"] is None


def test_a_search_exports_as_csv_for_a_spreadsheet(market):
    client, ingest, get = market
    number = next(_numbers)
    ingest(notice(number, f"{number}-1", "=HYPERLINK(\"x\") Entretien des orgues",
                  deadline=(NOW + timedelta(days=20)).isoformat(), cpv="50000000"),
           notice(number, f"{number}-2", "Accord des pianos du conservatoire",
                  deadline=(NOW + timedelta(days=25)).isoformat(), cpv="50000000"))
    response = get(f"/api/tenders/export.csv?buyer={buyer(number)['siret']}&status=open")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:3] == ["Numéro", "Objet", "Acheteur"]
    assert [row[1] for row in rows[1:]] == ["'=HYPERLINK(\"x\") Entretien des orgues",
                                            "Accord des pianos du conservatoire"]
    # Nothing raw for the person who opens it: the state in French, the deadline as a French
    # spreadsheet reads a date (Paris time).
    assert {row[4] for row in rows[1:]} == {"Ouvert aux réponses"}
    assert rows[1][5] == spreadsheet_datetime(NOW + timedelta(days=20))


def test_a_profile_has_a_private_atom_feed_at_a_signed_url(market, service_headers, veille_db):
    client, ingest, get = market
    number = next(_numbers)
    ingest(notice(number, f"{number}-1", "Restauration des vitraux de la chapelle",
                  deadline=(NOW + timedelta(days=40)).isoformat(), cpv="45453100"))
    know_structures(veille_db, [number])
    profile = client.post("/api/profiles", headers=service_headers, json={
        "structure_id": number, "name": "Vitraux", "cpv_prefixes": ["45453100"]}).json
    assert profile["found"] == 1 and profile["feed_path"].startswith("/flux/")
    feed = client.get(profile["feed_path"])  # no token: the signed URL is the key
    assert feed.status_code == 200 and feed.mimetype == "application/atom+xml"
    root = etree.fromstring(feed.data)
    atom = {"a": "http://www.w3.org/2005/Atom"}
    # Its address is the portail's (the one public address, which forwards /flux/…).
    assert root.find("a:link[@rel='self']", atom).get("href").endswith(profile["feed_path"])
    assert not root.find("a:link[@rel='self']", atom).get("href").startswith("http://localhost")
    assert [t.text for t in root.findall("a:entry/a:title", atom)] == [
        "Restauration des vitraux de la chapelle"]
    forged = profile["feed_path"].replace("/flux/", "/flux/x")
    assert client.get(forged).status_code == 404
    assert client.get(profile["feed_path"][:-12] + "AAAA.atom").status_code == 404
