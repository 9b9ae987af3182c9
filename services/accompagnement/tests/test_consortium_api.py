"""Groupements solidaires through the API: partners suggested and explained, invitations and
answers, roles and shares validated, the amount won split between the members."""

import pytest

from centrale.testing import outbox_events

pytestmark = pytest.mark.integration

LOTS = [
    {"id": "1", "title": "Nettoyage des locaux", "cpv_main": "90911200", "reserved": []},
    {"id": "2", "title": "Reliure et restauration de registres", "cpv_main": "79971000",
     "reserved": ["insertion"]},
    {"id": "3", "title": "Blanchisserie du linge", "cpv_main": "98310000",
     "reserved": ["sheltered_workshop"]},
]


@pytest.fixture
def world(new_structure, publish_tender):
    lead = new_structure(legal_name="Régie de quartier Le Soleil", activities=["9091"])
    bindery = new_structure(legal_name="Atelier Reliure Insertion", category="insertion",
                            insertion_kind="ei", legal_form="sas", activities=["7997"])
    esat = new_structure(legal_name="ESAT de la Blanchisserie du Velay", category="esat",
                         insertion_kind=None, activities=["9831"],
                         address={"street": "5 avenue de la Dentelle", "postal_code": "43000",
                                  "city": "Le Puy-en-Velay"})
    scop = new_structure(legal_name="Blanchisserie Coopérative Lyonnaise", category="scop",
                         insertion_kind=None, legal_form="societe_cooperative",
                         activities=["98310000"],
                         address={"street": "8 quai Perrache", "postal_code": "69002",
                                  "city": "Lyon"})
    tender = publish_tender()
    tender["tender"]["lots"] = LOTS
    publish_tender("tender.updated", tender_id=tender["tender_id"], version=2, changes={},
                   title=tender["title"], deadline=tender["deadline"], tender=tender["tender"])
    return lead, bindery, esat, scop, tender


def test_partners_are_suggested_scored_and_explained(client, worker, service_headers, new_case,
                                                     world):
    lead, bindery, esat, scop, tender = world
    case = new_case(lead, tender)
    response = client.get(f"/api/cases/{case['id']}/partners/suggestions?limit=50",
                          headers=service_headers)
    assert response.status_code == 200
    mine = {bindery["id"], esat["id"], scop["id"]}
    ranked = [s for s in response.json if s["structure"]["id"] in mine]
    # The SCOP does the laundry but may not answer a lot reserved to EA, ESAT and SIAE.
    assert [(s["structure"]["legal_name"], s["score"], s["covered_lots"], s["suggested_role"])
            for s in ranked] == [
        # lot 2 of the 2 lacking: 20/40, same département 20/20, eligible to both reserved
        # lots 15/15 -> 55/75
        ("Atelier Reliure Insertion", 73, ["2"], "cotraitant_conjoint"),
        # lot 3: 20/40, neighbouring département 10/20, one reserved lot of two 7.5/15
        ("ESAT de la Blanchisserie du Velay", 50, ["3"], "cotraitant_conjoint"),
    ]
    assert ranked[0]["reasons"] == [
        "Couvre le lot 2 « Reliure et restauration de registres » (CPV 79971000), que la "
        "structure pilote ne couvre pas.",
        "Même département que le lieu d'exécution (42 Loire).",
        "Éligible aux lots réservés : lot 2 et lot 3.",
        "Rôle suggéré : cotraitant conjoint, chacun exécutant ses lots.",
    ]
    assert ranked[1]["reasons"][1] == ("Département voisin (43 Haute-Loire) du lieu "
                                       "d'exécution (42 Loire).")
    assert ranked[1]["suggested_role_label"] == "Cotraitant conjoint"


def test_a_groupement_is_formed_and_shares_the_amount_won(
        client, db, worker, service_headers, make_headers, new_case, world):
    lead, bindery, esat, scop, tender = world
    case = new_case(lead, tender)
    for partner in (bindery, esat, scop):
        invited = client.post(f"/api/cases/{case['id']}/consortium/invitations",
                              headers=service_headers, json={
                                  "structure_id": partner["id"], "role": "cotraitant_conjoint",
                                  "message": "Nous répondons au lot 1 ; rejoignez-nous."})
        assert invited.status_code == 201 and invited.json["status"] == "invited"
    assert client.post(f"/api/cases/{case['id']}/consortium/invitations",
                       headers=service_headers, json={"structure_id": esat["id"],
                                                      "role": "sous_traitant"}).status_code == 409
    events = [e["data"] for e in outbox_events(db, "consortium.invited")
              if e["data"]["case_id"] == case["id"]]
    assert events[0] == {"case_id": case["id"], "lead_structure_id": lead["id"],
                         "structure_id": bindery["id"], "title": case["title"],
                         "role": "cotraitant_conjoint"}

    # Each partner answers for itself; nobody answers for another.
    bindery_member = make_headers("membre", structure_id=bindery["id"])
    assert client.post(f"/api/cases/{case['id']}/consortium/invitations/{esat['id']}/answer",
                       headers=bindery_member, json={"accepted": True}).status_code == 404
    assert client.get(f"/api/cases/{case['id']}/consortium",
                      headers=bindery_member).status_code == 404
    invitations = client.get(f"/api/structures/{bindery['id']}/invitations",
                             headers=bindery_member).json
    assert [(i["case_id"], i["lead_name"], i["status"]) for i in invitations] == [
        (case["id"], "Régie de quartier Le Soleil", "invited")]
    for partner, accepted in ((bindery, True), (esat, True), (scop, False)):
        answered = client.post(
            f"/api/cases/{case['id']}/consortium/invitations/{partner['id']}/answer",
            headers=make_headers("membre", structure_id=partner["id"]),
            json={"accepted": accepted, "comment": None if accepted else "Pas disponible"})
        assert answered.status_code == 200
        assert answered.json["status"] == ("accepted" if accepted else "declined")
    assert [e["data"]["accepted"] for e in outbox_events(db, "consortium.answered")
            if e["data"]["case_id"] == case["id"]] == [True, True, False]

    def compose(*members):
        return client.put(f"/api/cases/{case['id']}/consortium", headers=service_headers,
                          json={"members": [{"structure_id": s["id"], "role": role,
                                             "share_percent": share}
                                            for s, role, share in members]})

    declined = compose((lead, "mandataire", 50), (scop, "cotraitant_conjoint", 50))
    assert declined.status_code == 422
    assert declined.json["errors"]["json"]["members"] == [
        f"La structure n° {scop['id']} n'a pas accepté d'invitation pour ce dossier."]
    wrong = compose((lead, "mandataire", 50), (bindery, "cotraitant_conjoint", 30),
                    (esat, "cotraitant_solidaire", 10))
    assert wrong.json["errors"]["json"]["members"] == [
        "Un groupement est soit conjoint, soit solidaire : les cotraitants ne peuvent pas être "
        "à la fois conjoints et solidaires.",
        "La somme des parts fait 90 % au lieu de 100 %."]
    formed = compose((lead, "mandataire", 50), (bindery, "cotraitant_conjoint", 30),
                     (esat, "cotraitant_conjoint", 20))
    assert formed.status_code == 200, formed.json
    assert formed.json["kind"] == "conjoint" and formed.json["formed_at"] is not None

    for stage in ("drafting", "review", "submission", "awaiting_result"):
        client.post(f"/api/cases/{case['id']}/stage", headers=service_headers,
                    json={"stage": stage})
    client.post(f"/api/cases/{case['id']}/outcome", headers=service_headers,
                json={"outcome": "won", "amount": 100000.01})
    shared = client.get(f"/api/cases/{case['id']}/consortium",
                        headers=make_headers("membre", structure_id=lead["id"])).json
    # Rounded down to the cent; the leftover cent goes to the mandataire.
    assert shared["amounts"] == {str(lead["id"]): 50000.01, str(bindery["id"]): 30000,
                                 str(esat["id"]): 20000}
    assert [(m["legal_name"], m["role_label"], m["status"]) for m in shared["members"]] == [
        ("Régie de quartier Le Soleil", "Mandataire", "lead"),
        ("Atelier Reliure Insertion", "Cotraitant conjoint", "accepted"),
        ("ESAT de la Blanchisserie du Velay", "Cotraitant conjoint", "accepted"),
        ("Blanchisserie Coopérative Lyonnaise", "Cotraitant conjoint", "declined"),
    ]
