"""Buyers' needs over veille's real database: posted by a buyer, reviewed by an advisor (a
validated need is a tender of source ``centrale``), answered by structures, decided by the
buyer; a buyer sees only its own needs and their answers, a structure only its own answers."""

import io

import pytest

from centrale.testing import outbox_events
from centrale.testing.clock import paris_at

from veille.store.structures import keep_structure

pytestmark = pytest.mark.integration

NEED = {
    "buyer_name": "Ville de Saint-Chamond", "buyer_siret": "21420207000018",
    "buyer_kind": "public", "buyer_contact": "Claire Achat",
    "object": "Entretien des espaces verts du parc Nelson-Mandela",
    "description": "Tonte, taille des haies et ramassage des feuilles, d'avril à novembre.",
    "cpv_codes": ["77310000"], "departement": "Loire", "place": "Saint-Chamond",
    "lots": [{"title": "Tonte et taille", "cpv": "77311000"}],
    "budget_band": "4k-40k", "reservation": "insertion", "social_clause": True,
    "insertion_hours": 120,
}


@pytest.fixture
def client(make_service_app, veille_db):
    with veille_db.transaction() as conn:
        for structure_id, name, siret in ((7, "Jardins de la Vallée", "35600000000048"),
                                          (8, "Brigade Verte", "73282932000074")):
            keep_structure(conn, {"structure_id": structure_id, "legal_name": name,
                                  "category": "siae", "insertion_kind": "aci", "siret": siret})
    return make_service_app("veille").test_client()


@pytest.fixture
def buyer(make_headers):
    return make_headers("acheteur", subject="user:41", email="claire@saint-chamond.fr")


def post_need(client, headers, **changes):
    body = {**NEED, "deadline": paris_at(30).isoformat(), **changes}
    return client.post("/api/needs", json=body, headers=headers)


def test_a_need_goes_from_buyer_to_tender_to_answers_to_outcome(client, buyer, make_headers,
                                                                 service_headers, veille_db):
    posted = post_need(client, buyer)
    assert posted.status_code == 201, posted.json
    need = posted.json
    assert need["status"] == "submitted" and need["departement"] == "42"
    assert need["buyer_email"] == "claire@saint-chamond.fr"
    assert outbox_events(veille_db, "need.submitted")[0]["data"]["need_id"] == need["id"]

    advisor = make_headers("conseiller", subject="user:2")
    reviewed = client.post(f"/api/needs/{need['id']}/review", json={"decision": "validate"},
                           headers=advisor)
    assert reviewed.status_code == 200, reviewed.json
    tender_id = reviewed.json["tender_id"]
    assert reviewed.json["status"] == "published" and tender_id
    [published] = outbox_events(veille_db, "tender.published")
    assert published["data"]["tender_id"] == tender_id
    assert published["data"]["source"] == "centrale"
    tender = client.get(f"/api/tenders/{tender_id}", headers=service_headers).json
    assert tender["origin"] == "centrale" and tender["need_id"] == need["id"]
    listed = client.get("/api/tenders", headers=service_headers).json
    assert [(t["id"], t["origin"], t["origin_label"]) for t in listed if t["id"] == tender_id] \
        == [(tender_id, "centrale", "Besoin déposé à la Centrale")]
    assert tender["reserved"] == ["insertion"] and tender["insertion_clause"] is True
    assert tender["departments"] == ["42"] and tender["lots"][0]["title"] == "Tonte et taille"

    first = make_headers("membre", structure_id=7, subject="user:70",
                         email="contact@jardins-vallee.example")
    answered = client.post(f"/api/needs/{need['id']}/answers", headers=first,
                           data={"message": "Nous sommes intéressés, équipe de 6 salariés.",
                                 "file": (io.BytesIO(b"%PDF-1.4 devis"), "devis.pdf",
                                          "application/pdf")})
    assert answered.status_code == 201, answered.json
    assert answered.json["has_quote"] and answered.json["structure_name"] == "Jardins de la Vallée"
    assert answered.json["contact_email"] == "contact@jardins-vallee.example"
    again = client.post(f"/api/needs/{need['id']}/answers", headers=first,
                        data={"message": "Une deuxième fois."})
    assert again.status_code == 409
    second = make_headers("membre", structure_id=8, subject="user:80")
    assert client.post(f"/api/needs/{need['id']}/answers", headers=second,
                       data={"message": "Intéressés aussi."}).status_code == 201

    # A structure sees its own answers only, and may not read another's by asking.
    mine = client.get("/api/need-answers", headers=first).json
    assert [a["structure_id"] for a in mine] == [7]
    assert client.get("/api/need-answers?structure_id=8", headers=first).status_code == 403
    assert client.get(f"/api/needs/{need['id']}/answers", headers=first).status_code == 404

    answers = client.get(f"/api/needs/{need['id']}/answers", headers=buyer).json
    assert [a["structure_name"] for a in answers] == ["Jardins de la Vallée", "Brigade Verte"]
    quote = client.get(f"/api/needs/{need['id']}/answers/{answers[0]['id']}/quote",
                       headers=buyer)
    assert quote.status_code == 200 and quote.data == b"%PDF-1.4 devis"
    assert quote.headers["Content-Disposition"].startswith("attachment;")

    decided = client.post(f"/api/needs/{need['id']}/outcome", headers=buyer,
                          json={"chosen": [{"structure_id": 7, "amount": 18500}]})
    assert decided.status_code == 200, decided.json
    assert decided.json["status"] == "decided"
    outcomes = {a["structure_id"]: (a["outcome"], a["amount"])
                for a in client.get(f"/api/needs/{need['id']}/answers", headers=buyer).json}
    assert outcomes == {7: ("chosen", 18500), 8: ("not_chosen", None)}
    [event] = outbox_events(veille_db, "need.decided")
    assert {(o["structure_id"], o["chosen"]) for o in event["data"]["outcomes"]} == {
        (7, True), (8, False)}
    tender = client.get(f"/api/tenders/{tender_id}", headers=service_headers).json
    assert tender["result"] == "awarded"
    assert [(a["winner_name"], a["winner_siret"], a["amount"]) for a in tender["awards"]] == [
        ("Jardins de la Vallée", "35600000000048", 18500)]
    # Impact counts it (a day either side: the test may run across midnight in Paris).
    around = {"start": paris_at(-1).date().isoformat(), "end": paris_at(1).date().isoformat()}
    figures = client.get("/api/needs/figures", query_string=around, headers=advisor).json
    assert {k: figures[k] for k in ("posted", "published", "answers", "structures", "won",
                                    "not_chosen", "amount_won")} == {
        "posted": 1, "published": 1, "answers": 2, "structures": 2, "won": 1, "not_chosen": 1,
        "amount_won": 18500}
    by_structure = {row["structure_id"]: row for row in figures["by_structure"]}
    assert by_structure[7] == {"structure_id": 7, "answers": 1, "won": 1, "not_chosen": 0,
                               "amount_won": 18500}
    assert (by_structure[8]["won"], by_structure[8]["not_chosen"]) == (0, 1)
    here = client.get("/api/needs/figures", query_string={**around, "departement": "Loire"},
                      headers=advisor).json
    elsewhere = client.get("/api/needs/figures", query_string={**around, "departement": "69"},
                           headers=advisor).json
    assert (here["departements"], here["posted"], elsewhere["posted"]) == (["42"], 1, 0)
    assert client.get("/api/needs/figures", query_string={**around, "departement": "99"},
                      headers=advisor).status_code == 422
    assert client.get("/api/needs/figures", query_string=around, headers=buyer).status_code == 403


def test_a_buyer_sees_only_its_own_needs_and_their_answers(client, buyer, make_headers):
    need = post_need(client, buyer).json
    other = make_headers("acheteur", subject="user:99", email="autre@exemple.fr")
    assert client.get("/api/needs", headers=other).json == []
    assert [n["id"] for n in client.get("/api/needs", headers=buyer).json] == [need["id"]]
    for path in (f"/api/needs/{need['id']}", f"/api/needs/{need['id']}/answers"):
        assert client.get(path, headers=other).status_code == 404
    assert client.post(f"/api/needs/{need['id']}/outcome", json={"chosen": []},
                       headers=other).status_code == 404
    member = make_headers("membre", structure_id=7)
    assert client.get("/api/needs", headers=member).status_code == 403
    assert post_need(client, member).status_code == 403
    assert client.post(f"/api/needs/{need['id']}/review", json={"decision": "validate"},
                       headers=buyer).status_code == 403
    # not published yet: nobody answers it
    assert client.post(f"/api/needs/{need['id']}/answers", headers=member,
                       data={"message": "Trop tôt pour répondre."}).status_code == 404


def test_a_need_sent_back_says_why_and_an_edit_submits_it_again(client, buyer, make_headers,
                                                                veille_db):
    need = post_need(client, buyer).json
    advisor = make_headers("conseiller", subject="user:2")
    no_reason = client.post(f"/api/needs/{need['id']}/review", json={"decision": "return"},
                            headers=advisor)
    assert no_reason.status_code == 422
    returned = client.post(f"/api/needs/{need['id']}/review", headers=advisor,
                           json={"decision": "return", "reason": "Précisez la surface."})
    assert returned.json["status"] == "returned"
    assert returned.json["return_reason"] == "Précisez la surface."
    assert outbox_events(veille_db, "need.returned")[0]["data"]["reason"] == "Précisez la surface."
    edited = client.put(f"/api/needs/{need['id']}", headers=buyer,
                        json={**NEED, "deadline": paris_at(30).isoformat(),
                              "description": "Tonte de 3 hectares, taille des haies."})
    assert edited.status_code == 200 and edited.json["status"] == "submitted"
    assert edited.json["return_reason"] is None


def test_a_need_refuses_hostile_or_impossible_input(client, buyer):
    script = post_need(client, buyer, object="<script>alert(1)</script> espaces verts")
    assert script.status_code == 422 and "object" in script.json["errors"]["json"]
    injected = post_need(client, buyer, buyer_contact="Claire\r\nBcc: tous@exemple.fr")
    assert injected.status_code == 422 and "buyer_contact" in injected.json["errors"]["json"]
    past = post_need(client, buyer, deadline=paris_at(-1).isoformat())
    assert past.status_code == 422 and "deadline" in past.json["errors"]["json"]
    hours = post_need(client, buyer, social_clause=False)
    assert hours.status_code == 422 and "insertion_hours" in hours.json["errors"]["json"]


def test_cpv_codes_are_suggested_from_the_need_s_words(client, buyer):
    found = client.get("/api/needs/suggestions", headers=buyer,
                       query_string={"text": "Entretien des espaces verts et tonte"}).json
    assert found and found[0]["code"].startswith("773")
