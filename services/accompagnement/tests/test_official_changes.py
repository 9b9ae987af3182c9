"""Issue 16, point 3: a structure's official details (raison sociale, SIRET, legal form,
category, kind of SIAE) are not its member's to rewrite: a member's edit touching them is
refused by field and saves nothing; the member asks for the change, an advisor approves it
(applied, announced, audited with who asked, who decided and when) or refuses it with a
reason."""

import pytest

from centrale.testing import outbox_events

from .conftest import unique_siret

pytestmark = pytest.mark.integration

REFUSAL = ("Ce champ officiel est modifié par la Centrale : demandez-en la modification (elle "
           "sera appliquée une fois approuvée par un conseiller).")


@pytest.mark.parametrize("change", [{"category": "ea", "insertion_kind": None},
                                    {"siret": None}, {"legal_form": "sas"},
                                    {"legal_name": "Autre nom"}])
def test_a_member_cannot_change_an_official_field_of_their_own_structure(
        client, service_headers, make_headers, new_structure, change):
    mine = new_structure()
    change = {name: unique_siret() if name == "siret" else value
              for name, value in change.items()}
    member = make_headers("membre", structure_id=mine["id"])
    refused = client.patch(f"/api/structures/{mine['id']}", headers=member,
                           json={**change, "social_value": {"people_supported": 3}})
    assert refused.status_code == 422, refused.json
    assert refused.json["type"] == "urn:centrale:probleme:regle"
    assert refused.json["errors"]["json"] == {name: [REFUSAL] for name in change
                                              if mine[name] != change[name]}
    replaced = client.put(f"/api/structures/{mine['id']}", headers=member,
                          json={**{k: mine[k] for k in ("legal_name", "siret", "legal_form",
                                                        "category", "insertion_kind",
                                                        "address")}, **change})
    assert replaced.status_code == 422
    kept = client.get(f"/api/structures/{mine['id']}", headers=service_headers).json
    assert kept == mine  # nothing saved, the people supported included
    # The same values (the SIRET spaced) and the other fields stay the member's to edit.
    spaced = f"{mine['siret'][:3]} {mine['siret'][3:]}"
    own = client.patch(f"/api/structures/{mine['id']}", headers=member,
                       json={"siret": spaced, "category": mine["category"],
                             "social_value": {"people_supported": 40}})
    assert own.status_code == 200, own.json
    # An advisor changes them directly.
    advisor = make_headers("conseiller", subject="user:conseil")
    direct = client.patch(f"/api/structures/{mine['id']}", headers=advisor,
                          json={"category": "ea", "insertion_kind": None})
    assert direct.status_code == 200 and direct.json["category"] == "ea"


def test_a_members_request_applies_once_an_advisor_approves_it(client, db, service_headers,
                                                               make_headers, new_structure):
    mine = new_structure(legal_name="Atelier du Gier")
    member = make_headers("membre", structure_id=mine["id"], subject="user:membre-gier")
    advisor = make_headers("conseiller", subject="user:conseil-gier")
    asked = client.post(f"/api/structures/{mine['id']}/change-requests", headers=member,
                        json={"category": "ea", "insertion_kind": None,
                              "comment": "Agrément EA reçu en novembre."})
    assert asked.status_code == 201, asked.json
    request = asked.json
    assert request["status"] == "pending" and request["status_label"] == "En attente"
    assert request["changes"] == {"category": "ea", "insertion_kind": None}
    assert request["requested_by"] == "user:membre-gier" and request["requested_at"]
    assert request["summary"] == ("catégorie : Structure d'insertion → Entreprise adaptée (EA) ;"
                                  " type de SIAE : Atelier et chantier d'insertion (ACI) → —")
    # Not applied yet; a second request waits for the first.
    assert client.get(f"/api/structures/{mine['id']}", headers=member).json["category"] == \
        "insertion"
    again = client.post(f"/api/structures/{mine['id']}/change-requests", headers=member,
                        json={"legal_form": "sas"})
    assert again.status_code == 409
    # The member sees their request; approving is an advisor's.
    assert [r["id"] for r in client.get(f"/api/structures/{mine['id']}/change-requests",
                                        headers=member).json] == [request["id"]]
    assert client.post(f"/api/change-requests/{request['id']}/approve",
                       headers=member).status_code == 403
    assert client.get("/api/change-requests", headers=member).status_code == 403
    waiting = client.get("/api/change-requests", headers=advisor).json
    assert [r["structure_name"] for r in waiting if r["id"] == request["id"]] == \
        ["Atelier du Gier"]

    approved = client.post(f"/api/change-requests/{request['id']}/approve", headers=advisor)
    assert approved.status_code == 200, approved.json
    assert approved.json["status"] == "approved"
    assert approved.json["decided_by"] == "user:conseil-gier" and approved.json["decided_at"]
    record = client.get(f"/api/structures/{mine['id']}", headers=member).json
    assert (record["category"], record["insertion_kind"]) == ("ea", None)
    [event] = [e for e in outbox_events(db, "structure.updated")
               if e["data"]["structure_id"] == mine["id"]]
    assert event["data"]["category"] == "ea"  # veille's copy follows
    trail = client.get(f"/api/structures/{mine['id']}/audit", headers=advisor).json
    approval = next(e for e in trail if e["action"] == "official_change_approved")
    assert approval["actor"] == "user:conseil-gier" and approval["at"]
    assert approval["summary"] == ("Modification approuvée : catégorie : Structure d'insertion →"
                                   " Entreprise adaptée (EA) ; type de SIAE : Atelier et chantier"
                                   " d'insertion (ACI) → —.")
    assert approval["details"]["requested_by"] == "user:membre-gier"
    assert approval["details"]["requested_at"]
    assert any(e["action"] == "official_change_requested" and e["actor"] == "user:membre-gier"
               for e in trail)
    assert client.post(f"/api/change-requests/{request['id']}/reject", headers=advisor,
                       json={"reason": "trop tard"}).status_code == 409


def test_a_refused_request_changes_nothing_and_says_why(client, service_headers, make_headers,
                                                        new_structure):
    mine = new_structure()
    member = make_headers("membre", structure_id=mine["id"])
    advisor = make_headers("conseiller", subject="user:conseil")
    incoherent = client.post(f"/api/structures/{mine['id']}/change-requests", headers=member,
                             json={"category": "scop"})
    assert incoherent.status_code == 422  # the domain's rules, by field
    assert set(incoherent.json["errors"]["json"]) == {"insertion_kind", "legal_form"}
    same = client.post(f"/api/structures/{mine['id']}/change-requests", headers=member,
                       json={"category": mine["category"]})
    assert same.status_code == 422
    request = client.post(f"/api/structures/{mine['id']}/change-requests", headers=member,
                          json={"legal_form": "sas"}).json
    refused = client.post(f"/api/change-requests/{request['id']}/reject", headers=advisor,
                          json={"reason": "Les statuts fournis sont ceux d'une association."})
    assert refused.status_code == 200
    assert refused.json["status_label"] == "Refusée"
    assert refused.json["decision_reason"] == "Les statuts fournis sont ceux d'une association."
    assert client.get(f"/api/structures/{mine['id']}",
                      headers=member).json["legal_form"] == "association"
    trail = client.get(f"/api/structures/{mine['id']}/audit", headers=advisor).json
    assert trail[0]["action"] == "official_change_rejected"
    assert trail[0]["summary"] == ("Modification refusée (forme juridique) : Les statuts fournis "
                                   "sont ceux d'une association.")
