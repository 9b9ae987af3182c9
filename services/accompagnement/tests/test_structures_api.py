"""The structures registry through the API: SIRET validation, duplicates, domain rules, events."""

import pytest

from centrale.testing import outbox_events

from .conftest import structure_payload, unique_siret

pytestmark = pytest.mark.integration


def test_a_structure_is_registered_with_its_contacts_and_announced(client, db, service_headers):
    siret = unique_siret()
    spaced = f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"
    created = client.post("/api/structures", headers=service_headers,
                          json=structure_payload(siret=spaced,
                                                 legal_name="ACI Les Jardins du Gier"))
    assert created.status_code == 201, created.json
    body = created.json
    assert body["siret"] == siret and body["siren"] == siret[:9]
    assert body["category_label"] == "Structure d'insertion"
    assert body["insertion_kind_label"] == "Atelier et chantier d'insertion (ACI)"
    assert body["legal_form_label"] == "Association loi 1901"
    assert body["departement"] == "42"  # derived from the postal code 42000
    assert body["capacities"]["annual_turnover"] == 480000
    assert body["social_value"]["insertion_hours_per_year"] == 18500
    assert body["references"][0]["cpv_codes"] == ["90911200"]
    [event] = [e for e in outbox_events(db, "structure.registered")
               if e["data"]["structure_id"] == body["id"]]
    assert event["data"] == {
        "structure_id": body["id"], "legal_name": "ACI Les Jardins du Gier", "siret": siret,
        "category": "insertion", "departement": "42", "legal_form": "association",
        "insertion_kind": "aci", "activities": ["9091", "77310000"],
        "contacts": [{"name": "Nadia Benali", "email": "direction@regie-montreynaud.fr",
                      "role": "direction"}]}
    assert client.get(f"/api/structures/{body['id']}", headers=service_headers).json == body


def test_a_siret_already_registered_is_a_conflict(client, service_headers, new_structure):
    existing = new_structure()
    again = client.post("/api/structures", headers=service_headers,
                        json=structure_payload(siret=existing["siret"], legal_name="Doublon"))
    assert again.status_code == 409
    assert again.headers["Content-Type"] == "application/problem+json"
    assert again.json["detail"] == (f"Une structure de SIRET {existing['siret']} est déjà "
                                    f"inscrite (structure n° {existing['id']}).")
    other = new_structure()
    taken = client.patch(f"/api/structures/{other['id']}", headers=service_headers,
                         json={"siret": existing["siret"]})
    assert taken.status_code == 409


@pytest.mark.parametrize(("siret", "message"), [
    ("73282932000079", "Le SIRET 732 829 320 00079 est invalide : sa clé de contrôle ne "
                       "correspond pas (chiffre mal saisi ou inversé ?)."),
    ("7328293200007", "Le SIRET doit comporter 14 chiffres (13 saisis)."),
    ("73282932100074", "Le SIREN 732829321 (9 premiers chiffres du SIRET) est invalide : sa clé "
                       "de contrôle ne correspond pas. Vérifiez la saisie."),
])
def test_an_invalid_siret_is_refused_with_its_french_reason(client, service_headers, siret,
                                                            message):
    refused = client.post("/api/structures", headers=service_headers,
                          json=structure_payload(siret=siret))
    assert refused.status_code == 422
    assert refused.json["errors"] == {"json": {"siret": [message]}}


def test_the_domain_rules_become_field_errors(client, service_headers):
    refused = client.post("/api/structures", headers=service_headers, json=structure_payload(
        category="association", legal_form="sas", insertion_kind=None,
        activities=["9091", "abc"],
        address={"street": "3 place du Breuil", "postal_code": "4300", "city": "Le Puy"},
        departement="43"))
    assert refused.status_code == 422
    assert refused.json["errors"]["json"] == {
        "legal_form": ["Une structure de catégorie « Association » a la forme juridique d'une "
                       "association."],
        "address": {"postal_code": ["Le code postal doit comporter 5 chiffres."]},
        "activities": {"1": ["Code CPV invalide : « abc » (attendu 8 chiffres, par exemple "
                             "90911200, ou un préfixe d'au moins 2 chiffres)."]},
    }
    kindless = client.post("/api/structures", headers=service_headers,
                           json=structure_payload(insertion_kind=None))
    assert kindless.json["errors"]["json"] == {"insertion_kind": [
        "Précisez le type de structure d'insertion (ACI, AI, EI, ETTI, EITI ou GEIQ)."]}
    typed = client.post("/api/structures", headers=service_headers,
                        json=structure_payload(category="cooperative", siret=12))
    assert set(typed.json["errors"]["json"]) == {"category", "siret"}


def test_an_update_replaces_the_contacts_and_is_announced(client, db, service_headers,
                                                          new_structure):
    structure = new_structure()
    changed = client.patch(f"/api/structures/{structure['id']}", headers=service_headers, json={
        "contacts": [{"name": "Paul Roche", "email": "paul.roche@example.fr",
                      "role": "chargé d'affaires"}],
        "capacities": {"headcount": 30}})
    assert changed.status_code == 200, changed.json
    assert changed.json["capacities"]["headcount"] == 30
    assert changed.json["capacities"]["annual_turnover"] == 480000  # merged, kept
    assert [c["name"] for c in changed.json["contacts"]] == ["Paul Roche"]
    [event] = [e for e in outbox_events(db, "structure.updated")
               if e["data"]["structure_id"] == structure["id"]]
    assert event["data"]["contacts"] == [{"name": "Paul Roche", "email": "paul.roche@example.fr",
                                          "role": "chargé d'affaires"}]


def test_a_member_manages_only_their_own_structure(client, service_headers, make_headers,
                                                   new_structure):
    mine, other = new_structure(), new_structure()
    member = make_headers("membre", structure_id=mine["id"])
    assert [s["id"] for s in client.get("/api/structures", headers=member).json] == [mine["id"]]
    assert client.get(f"/api/structures/{other['id']}", headers=member).status_code == 404
    assert client.patch(f"/api/structures/{other['id']}", headers=member,
                        json={"legal_name": "Piratage"}).status_code == 404
    own = client.patch(f"/api/structures/{mine['id']}", headers=member,
                       json={"social_value": {"people_supported": 40}})
    assert own.status_code == 200 and own.json["social_value"]["people_supported"] == 40
    assert client.post("/api/structures", headers=member,
                       json=structure_payload()).status_code == 403
    assert client.delete(f"/api/structures/{mine['id']}", headers=member).status_code == 403


def test_a_structure_with_cases_is_kept(client, worker, service_headers, new_structure, new_case):
    unused = new_structure()
    assert client.delete(f"/api/structures/{unused['id']}",
                         headers=service_headers).status_code == 204
    assert client.get(f"/api/structures/{unused['id']}",
                      headers=service_headers).status_code == 404
    case = new_case()
    kept = client.delete(f"/api/structures/{case['structure_id']}", headers=service_headers)
    assert kept.status_code == 409


def test_listing_filters(client, service_headers, new_structure):
    esat = new_structure(legal_name="ESAT des Monts du Velay", category="esat",
                         insertion_kind=None,
                         address={"street": "1 route de Vals", "postal_code": "43000",
                                  "city": "Le Puy-en-Velay"})
    found = client.get("/api/structures?category=esat&departement=43&q=monts du velay",
                       headers=service_headers).json
    assert [s["id"] for s in found] == [esat["id"]]
    bad = client.get("/api/structures?category=cooperative&limit=0", headers=service_headers)
    assert bad.status_code == 422
    assert set(bad.json["errors"]["query"]) == {"category", "limit"}
