"""The bid / no-bid grid through the API: suggestions from the structure and the mirrored
tender, the weighted advice with its reasons, the recommended training modules."""

from datetime import datetime, timedelta

import pytest

from centrale.testing import outbox_events

from .conftest import PARIS

pytestmark = pytest.mark.integration


@pytest.fixture
def far_tender(publish_tender):
    """Two lots (cleaning reserved to SIAE, green spaces), 40 days ahead: time is no issue."""
    return publish_tender(deadline=datetime.now(PARIS) + timedelta(days=40))


def test_suggested_scores_then_a_go(client, db, worker, service_headers, new_case, far_tender):
    case = new_case(tender=far_tender)
    suggested = client.get(f"/api/cases/{case['id']}/diagnosis/suggestions",
                           headers=service_headers).json
    # Both lots within the activities (9091, 7731), one similar reference of last year,
    # an ACI may answer the lot reserved to SIAE, 40 days left.
    assert suggested["suggested_scores"] == {"activity_fit": 5, "references": 3,
                                             "reserved_eligibility": 5, "time_left": 5}
    assert suggested["to_score"] == ["capacity", "price_position", "partner_need"]
    assert suggested["criteria"][0] == {
        "criterion": "activity_fit", "label": "Adéquation des activités aux lots", "weight": 3,
        "suggested": 5, "suggested_as": "score"}

    done = client.post(f"/api/cases/{case['id']}/diagnosis", headers=service_headers, json={
        "scores": {"capacity": 4, "price_position": 2, "partner_need": 5},
        "comment": "Prix à retravailler avec la directrice."})
    assert done.status_code == 201, done.json
    diagnosis = done.json
    assert (diagnosis["decision"], diagnosis["decision_label"], diagnosis["score"]) == (
        "go", "Go", 81.5)
    assert diagnosis["reasons"] == [
        "Score pondéré : 81,5/100 (go à partir de 65, à examiner à partir de 45).",
        "Point fort : Adéquation des activités aux lots (5/5).",
        "Point fort : Capacités (effectif, chiffre d'affaires, assurance) (4/5).",
        "Point fort : Délai restant (5/5).",
        "Point fort : Éligibilité aux lots réservés (5/5).",
        "Point fort : Autonomie (besoin de partenaires) (5/5).",
        "Point faible : Positionnement prix (2/5).",
    ]
    assert diagnosis["recommended_modules"] == [
        {"code": "chiffrage", "title": "Chiffrer son offre"}]
    assert diagnosis["scores"]["references"] == 3  # the suggestion, kept
    assert client.get(f"/api/cases/{case['id']}/diagnosis",
                      headers=service_headers).json["id"] == diagnosis["id"]
    [event] = [e["data"] for e in outbox_events(db, "diagnosis.completed")
               if e["data"]["case_id"] == case["id"]]
    assert event == {"case_id": case["id"], "structure_id": case["structure_id"],
                     "decision": "go", "score": 81.5, "recommended_modules": ["chiffrage"]}


def test_a_reserved_lot_out_of_reach_is_a_no_go(client, worker, service_headers, new_structure,
                                                new_case, far_tender):
    esat = new_structure(legal_name="ESAT du Pilat", category="esat", insertion_kind=None,
                         activities=["5552"], references=[])
    case = new_case(esat, far_tender, lot_numbers=["1"])
    done = client.post(f"/api/cases/{case['id']}/diagnosis", headers=service_headers, json={
        "scores": {"capacity": 3, "price_position": 3, "partner_need": 2}})
    assert done.json["decision"] == "no_go"
    assert done.json["reasons"][:2] == [
        "Consultation entièrement réservée (Réservé aux structures d'insertion par l'activité "
        "économique (art. L2113-13)) : la structure n'y est pas éligible.",
        "Aucune activité de la structure ne correspond aux lots visés.",
    ]
    assert [m["code"] for m in done.json["recommended_modules"]] == [
        "comprendre-marches-publics", "memoire-technique", "groupement"]


def test_a_request_for_a_quote_suggests_what_its_facts_support(client, worker, service_headers,
                                                               new_structure):
    case = client.post("/api/cases", headers=service_headers, json={
        "structure_id": new_structure()["id"], "buyer_name": "SCI Les Tilleuls",
        "title": "Devis : nettoyage des parties communes",
        "deadline": (datetime.now(PARIS) + timedelta(days=10)).isoformat(),
        "min_headcount": 30}).json
    suggested = client.get(f"/api/cases/{case['id']}/diagnosis/suggestions",
                           headers=service_headers).json
    # 10 days left -> 2; 24 people for 30 required -> 3 (a minimum not met is never 4).
    assert suggested["suggested_scores"] == {"time_left": 2, "capacity": 3}
    incomplete = client.post(f"/api/cases/{case['id']}/diagnosis", headers=service_headers,
                             json={"scores": {"activity_fit": 4}})
    assert incomplete.status_code == 422
    assert incomplete.json["errors"]["json"]["scores"] == [
        "Critère(s) non noté(s) : « Références », « Positionnement prix », « Éligibilité aux "
        "lots réservés », « Autonomie (besoin de partenaires) » (indiquez « non applicable » "
        "au besoin)."]


def test_the_grid_is_validated(client, worker, service_headers, new_case, make_headers):
    case = new_case()
    refused = client.post(f"/api/cases/{case['id']}/diagnosis", headers=service_headers,
                          json={"scores": {"activity_fit": 6, "charisme": 3}})
    assert refused.status_code == 422
    assert set(refused.json["errors"]["json"]["scores"]) == {"activity_fit", "charisme"}
    assert client.get(f"/api/cases/{case['id']}/diagnosis",
                      headers=service_headers).status_code == 404
    member = make_headers("membre", structure_id=case["structure_id"])
    assert client.post(f"/api/cases/{case['id']}/diagnosis", headers=member,
                       json={"scores": {}}).status_code == 403
