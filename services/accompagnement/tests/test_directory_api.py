"""The public directory through accompagnement's API: only the structures that consent are
listed (and leave at once when they withdraw), their card shows bands and labels, never the
registry's figures or contacts; French search folds accents; each structure edits its own card,
no one else's."""

import pytest

from centrale.testing import outbox_events

pytestmark = pytest.mark.integration


@pytest.fixture
def listed(client, new_structure, make_headers):
    def make(**overrides):
        structure = new_structure(**overrides)
        member = make_headers("membre", structure_id=structure["id"])
        response = client.put(f"/api/structures/{structure['id']}/directory-consent",
                              headers=member, json={"given": True})
        assert response.status_code == 200, response.json
        return structure, member

    return make


def search(client, headers, **query):
    response = client.get("/api/directory", headers=headers, query_string=query)
    assert response.status_code == 200, response.json
    return response.json


def test_only_consenting_structures_are_listed_and_a_withdrawal_takes_them_out(
        client, db, service_headers, new_structure, listed, make_headers):
    silent = new_structure(legal_name="Ressourcerie discrète du Pilat")
    structure, member = listed(legal_name="Ressourcerie ouverte du Pilat")
    buyer = make_headers("acheteur", subject="user:acheteur-1")
    names = [item["name"] for item in search(client, buyer, q="ressourcerie")["items"]]
    assert names == ["Ressourcerie ouverte du Pilat"]
    assert client.get(f"/api/directory/{silent['id']}", headers=buyer).status_code == 404
    assert client.get(f"/api/directory/{structure['id']}", headers=buyer).status_code == 200

    withdrawn = client.put(f"/api/structures/{structure['id']}/directory-consent",
                           headers=member, json={"given": False})
    assert withdrawn.status_code == 200 and withdrawn.json["listed"] is False
    assert search(client, buyer, q="ressourcerie")["items"] == []
    assert client.get(f"/api/directory/{structure['id']}", headers=buyer).status_code == 404
    history = withdrawn.json["consents"]
    assert [c["given"] for c in history] == [False, True]
    assert all(c["given_by_role"] == "membre" for c in history)
    rows = db.transaction().__enter__().execute(
        "SELECT given, wording FROM directory_consents WHERE structure_id = %s ORDER BY id",
        (structure["id"],)).fetchall()
    assert [r["given"] for r in rows] == [True, False] and "retirer son accord" in rows[0]["wording"]
    events = [e["data"] for e in outbox_events(db, "structure.listing_changed")
              if e["data"]["structure_id"] == structure["id"]]
    assert [e["listed"] for e in events] == [True, False]


def test_the_public_card_shows_bands_and_labels_never_figures_or_contacts(
        client, listed, make_headers):
    structure, member = listed(legal_name="Régie Propreté Montreynaud")
    card = client.get(f"/api/directory/{structure['id']}",
                      headers=make_headers("acheteur", subject="user:a")).json
    assert card["staff_band"] == "10-49" and card["staff_band_label"] == "10 à 49 salariés"
    assert card["turnover_band_label"] == "De 100 000 à 500 000 €"
    assert card["category_text"] == ("Structure d'insertion — Atelier et chantier "
                                     "d'insertion (ACI)")
    assert card["activities"] == [
        {"code": "90910000", "label": "Services de nettoyage"},
        {"code": "77310000", "label": "Services de plantation et d'entretien d'espaces verts"}]
    assert card["departements"] == [{"code": "42", "name": "Loire"}]
    assert card["communes"] == ["Saint-Étienne"]
    text = str(card)
    assert "direction@regie-montreynaud.fr" not in text and "480000" not in text
    assert "12 rue Pierre Loti" not in text and "consents" not in card


def test_french_search_folds_accents_and_filters(client, listed, make_headers):
    first, member = listed(legal_name="Atelier Réemploi du Forez")
    client.put(f"/api/structures/{first['id']}/directory-card", headers=member, json={
        "presentation": "Réparation et réemploi d'électroménager, collecte à domicile.",
        "activities": ["90514000"], "departements": ["42", "43"], "communes": ["Montbrison"],
        "labels": ["Qualirépar"]})
    second, _ = listed(legal_name="ESAT Blanchisserie du Velay", category="esat",
                       insertion_kind=None, legal_form="association",
                       address={"street": "1 rue", "postal_code": "43000",
                                "city": "Le Puy-en-Velay"}, activities=["9831"])
    anyone = make_headers("acheteur", subject="user:b")
    assert [i["name"] for i in search(client, anyone, q="reemploi electromenager")["items"]] \
        == ["Atelier Réemploi du Forez"]
    # the activity's French label is searched too: « recyclage » is in 90514000's
    assert [i["name"] for i in search(client, anyone, q="recyclage")["items"]] \
        == ["Atelier Réemploi du Forez"]
    assert [i["name"] for i in search(client, anyone, q="blanchisserie")["items"]] \
        == ["ESAT Blanchisserie du Velay"]
    assert [i["name"] for i in search(client, anyone, category="esat")["items"]] \
        == ["ESAT Blanchisserie du Velay"]
    assert {i["name"] for i in search(client, anyone, departement="43")["items"]} \
        >= {"ESAT Blanchisserie du Velay", "Atelier Réemploi du Forez"}
    assert [i["name"] for i in search(client, anyone, cpv="9051")["items"]] \
        == ["Atelier Réemploi du Forez"]
    assert [i["name"] for i in search(client, anyone, label="qualirepar")["items"]] \
        == ["Atelier Réemploi du Forez"]
    assert "Qualirépar" in search(client, anyone)["labels"]
    # hostile text is harmless: no 5xx, nothing found
    assert search(client, anyone, q="') OR 1=1 -- & | ! :*")["items"] == []


def test_a_structure_edits_its_own_card_only(client, listed, new_structure, make_headers):
    structure, member = listed()
    other = new_structure()
    response = client.put(f"/api/structures/{other['id']}/directory-card", headers=member,
                          json={"presentation": "Pas à moi."})
    assert response.status_code == 404
    refused = client.put(f"/api/structures/{other['id']}/directory-consent", headers=member,
                         json={"given": True})
    assert refused.status_code == 404
    for role in ("acheteur", "facilitateur"):
        outsider = make_headers(role, subject=f"user:{role}")
        assert client.put(f"/api/structures/{structure['id']}/directory-card", headers=outsider,
                          json={"presentation": "x"}).status_code == 404
        assert client.get(f"/api/structures/{structure['id']}/directory-card",
                          headers=outsider).status_code == 404


def test_the_card_refuses_markup_and_bad_codes_with_french_reasons(client, listed):
    structure, member = listed()
    response = client.put(f"/api/structures/{structure['id']}/directory-card", headers=member,
                          json={"presentation": "Bonjour <script>alert(1)</script>",
                                "activities": ["abc"], "departements": ["99"],
                                "website": "javascript:alert(1)"})
    assert response.status_code == 422
    errors = response.json["errors"]["json"]
    assert "balises HTML" in errors["presentation"][0]
    assert "CPV" in errors["activities"]["0"][0]
    assert errors["departements"]["0"] and errors["website"]
