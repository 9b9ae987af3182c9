"""The social-clause facilitator's follow-up through accompagnement's API: the facilitator
annotates a tender (advisors read the note), follows an awarded contract — the insertion
structures that could subcontract for its winner are announced — and enters the hours of
insertion done each month, which the impact figures add up; hours are JSON numbers, lists page
with X-Pagination; a member or a buyer reaches none of it, and the facilitator changes nothing
in cases."""

import json
from datetime import timedelta

import pytest

from centrale.testing import outbox_events
from centrale.testing.clock import paris_today

pytestmark = pytest.mark.integration


@pytest.fixture
def fresh(db):
    with db.transaction() as conn:
        conn.execute("TRUNCATE clause_notes, clause_contracts, clause_hours")
        conn.execute("DELETE FROM centrale_outbox WHERE event_type = 'clause.subcontracting_offered'")


@pytest.fixture
def facilitator(make_headers):
    return make_headers("facilitateur", subject="user:fac")


@pytest.fixture
def advisor(make_headers):
    return make_headers("conseiller", subject="user:2")


def test_the_facilitator_annotates_a_tender_and_advisors_read_it(client, facilitator, advisor,
                                                                  fresh, publish_tender):
    tender = publish_tender()["tender_id"]
    assert client.get(f"/api/tenders/{tender}/clause-note", headers=advisor).status_code == 404
    saved = client.put(f"/api/tenders/{tender}/clause-note", headers=facilitator,
                       json={"hours_required": 350, "buyer_contact": "M. Roux, 04 77 00 00 00",
                             "note": "Clause au lot 2 seulement.\nAppeler avant le 15."})
    assert saved.status_code == 200, saved.json
    seen = client.get(f"/api/tenders/{tender}/clause-note", headers=advisor).json
    assert (seen["hours_required"], seen["buyer_contact"], seen["updated_by"]) == (
        350, "M. Roux, 04 77 00 00 00", "user:fac")
    listed = client.get("/api/clause-notes", headers=advisor,
                        query_string={"tender_id": [tender, tender + 1]})
    assert [note["tender_id"] for note in listed.json] == [tender]
    assert json.loads(listed.headers["X-Pagination"])["total"] == 1

    for body, field in (({"hours_required": "350"}, "hours_required"),
                        ({"hours_required": -1}, "hours_required"),
                        ({"buyer_contact": "M. Roux\r\nBcc: x@y.fr"}, "buyer_contact"),
                        ({"note": "<script>alert(1)</script>"}, "note")):
        refused = client.put(f"/api/tenders/{tender}/clause-note", headers=facilitator,
                             json=body)
        assert refused.status_code == 422, body
        assert list(refused.json["errors"]["json"]) == [field]
    assert client.get(f"/api/tenders/{tender}/clause-note", headers=advisor).json["note"] == (
        "Clause au lot 2 seulement.\nAppeler avant le 15.")


def test_a_followed_contract_tells_the_siae_that_could_subcontract(
        client, db, facilitator, advisor, fresh, publish_tender, new_structure):
    tender = publish_tender()  # lot 1 cleaning (90911200), lot 2 green spaces (77310000), in 42
    winner = new_structure(legal_name="Propreté Services Loire", category="scop",
                           legal_form="societe_cooperative", insertion_kind=None)
    told = new_structure(legal_name="Chantier Vert du Pilat", activities=["7731"])
    neighbour = new_structure(legal_name="EI Jardins du Velay", insertion_kind="ei",
                              activities=["77310000"],
                              address={"street": "3 rue du Pont", "postal_code": "43000",
                                       "city": "Le Puy-en-Velay"})
    new_structure(legal_name="GEIQ Propreté Loire", insertion_kind="geiq", activities=["7731"])
    new_structure(legal_name="ACI Paris Nord", activities=["7731"],
                  address={"street": "1 rue de Paris", "postal_code": "75018",
                           "city": "Paris"})
    new_structure(legal_name="ACI Bâtiment", activities=["45"])
    new_structure(legal_name="ESAT Les Ateliers", category="esat", insertion_kind=None,
                  activities=["7731"])
    created = client.post("/api/clause-contracts", headers=facilitator, json={
        "tender_id": tender["tender_id"], "lot_id": "2",
        "title": "Entretien des espaces verts des gymnases", "buyer_name": "Ville de Saint-Chamond",
        "winner_name": winner["legal_name"], "winner_siret": winner["siret"],
        "hours_required": 350})
    assert created.status_code == 201, created.json
    contract = created.json
    assert (contract["cpv_codes"], contract["hours_required"], contract["hours_done"],
            contract["structures_told"]) == (["77310000"], 350, 0, 2)
    [offered] = [event["data"] for event in outbox_events(db, "clause.subcontracting_offered")]
    assert offered["structure_ids"] == sorted([told["id"], neighbour["id"]])
    assert (offered["contract_id"], offered["lot"], offered["winner"]["name"],
            offered["hours_required"]) == (contract["id"], "2", "Propreté Services Loire", 350)

    again = client.post("/api/clause-contracts", headers=facilitator, json={
        "tender_id": tender["tender_id"], "lot_id": "2", "title": "Encore", "winner_name": "Autre"})
    assert again.status_code == 409
    assert again.json["detail"] == "Ce marché (ou ce lot) est déjà suivi."
    # Its winner among the SIAE is never told to subcontract for itself.
    siae_winner = new_structure(legal_name="Régie Nettoyage Solidaire", activities=["9091"])
    alone = client.post("/api/clause-contracts", headers=facilitator, json={
        "tender_id": tender["tender_id"], "lot_id": "1", "title": "Nettoyage de l'hôtel de ville",
        "winner_name": siae_winner["legal_name"], "winner_siret": siae_winner["siret"],
        "cpv_codes": ["90911200"]}).json
    assert alone["structures_told"] == 0


def test_monthly_hours_replace_the_month_and_flow_into_the_impact(
        client, facilitator, advisor, service_headers, fresh, publish_tender):
    tender = publish_tender()["tender_id"]
    contract = client.post("/api/clause-contracts", headers=facilitator, json={
        "tender_id": tender, "lot_id": "1", "title": "Nettoyage de l'hôtel de ville",
        "winner_name": "Propreté Services Loire", "winner_siret": "73282932000074"}).json["id"]
    today = paris_today()
    this_month = today.replace(day=1)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    for month, hours in ((last_month, 80), (today, 120.5), (today, 125.25)):
        answer = client.put(f"/api/clause-contracts/{contract}/hours", headers=facilitator,
                            json={"month": month.isoformat(), "hours": hours})
        assert answer.status_code == 200, answer.json
    followed = client.get("/api/clause-contracts", headers=advisor,
                          query_string={"tender_id": tender})
    assert json.loads(followed.headers["X-Pagination"])["total"] == 1
    [row] = followed.json
    # The month entered again keeps its last figure.
    assert (row["hours_done"], [(m["month"], m["hours"]) for m in row["months"]]) == (
        205.25, [(last_month.isoformat(), 80), (this_month.isoformat(), 125.25)])

    impact = client.get("/api/impact", headers=service_headers, query_string={
        "start": this_month.isoformat(), "end": today.isoformat()}).json
    assert impact["insertion_hours"] == 125.25
    assert impact["by_month"][-1]["insertion_hours"] == 125.25
    both = client.get("/api/impact", headers=service_headers, query_string={
        "start": last_month.isoformat(), "end": today.isoformat()}).json
    assert both["insertion_hours"] == 205.25
    csv = client.get("/api/impact.csv", headers=service_headers, query_string={
        "start": last_month.isoformat(), "end": today.isoformat()}).data.decode()
    assert "Heures d'insertion;heures;205,25" in csv.split("\r\n")

    for body in ({"month": today.isoformat(), "hours": -3},
                 {"month": today.isoformat(), "hours": "12"}):
        refused = client.put(f"/api/clause-contracts/{contract}/hours", headers=facilitator,
                             json=body)
        assert refused.status_code == 422
        assert list(refused.json["errors"]["json"]) == ["hours"]
    assert client.put(f"/api/clause-contracts/{contract + 1000}/hours", headers=facilitator,
                      json={"month": today.isoformat(), "hours": 3}).status_code == 404


def test_members_and_buyers_reach_none_of_it_and_the_facilitator_no_case(
        client, make_headers, facilitator, fresh, new_case, worker):
    case = new_case(title="Devis d'entretien des espaces verts")
    for role, extra in (("membre", {"structure_id": case["structure_id"]}), ("acheteur", {})):
        person = make_headers(role, **extra)
        assert client.put("/api/tenders/900001/clause-note", headers=person,
                          json={"note": "x"}).status_code == 403
        assert client.get("/api/clause-contracts", headers=person).status_code == 403
        assert client.post("/api/clause-contracts", headers=person, json={}).status_code == 403
    assert client.get(f"/api/cases/{case['id']}", headers=facilitator).status_code == 404
    assert client.patch(f"/api/cases/{case['id']}", headers=facilitator,
                        json={"title": "Changé"}).status_code in (403, 404)
    assert client.post(f"/api/cases/{case['id']}/stage", headers=facilitator,
                       json={"stage": "drafting"}).status_code in (403, 404)
    assert client.get("/api/cases", headers=facilitator).status_code == 403
    assert client.get("/api/impact", headers=facilitator, query_string={
        "start": "2026-01-01", "end": "2026-12-31"}).status_code == 403
    assert client.get(f"/api/cases/{case['id']}", headers=make_headers("conseiller")
                      ).json["title"] == "Devis d'entretien des espaces verts"
