"""A case opened through the API runs a CaseWorkflow on the real Temporal dev server."""

import pytest

from accompagnement.workflows import CaseWorkflow
from centrale.testing import outbox_events, wait_until

pytestmark = pytest.mark.integration


def test_a_case_moves_through_validated_stages_until_it_completes(
        app, client, db, worker, service_headers, new_structure, publish_tender):
    structure = new_structure()
    tender = publish_tender()
    opened = client.post("/api/cases", headers=service_headers,
                         json={"structure_id": structure["id"], "tender_id": tender["tender_id"],
                               "title": "Nettoyage des écoles — Saint-Chamond"})
    assert opened.status_code == 201
    case_id = opened.json["id"]
    assert opened.json["stage"] == "diagnosis"
    assert opened.json["deadline"] is not None
    assert opened.json["buyer_name"] == "Ville de Saint-Chamond"

    refused = client.post(f"/api/cases/{case_id}/stage", headers=service_headers,
                          json={"stage": "submission"})
    assert refused.status_code == 409
    assert refused.json["detail"] == ("Impossible de passer de « Diagnostic » à « Dépôt » : "
                                      "l'étape « Rédaction » doit précéder.")

    moved = client.post(f"/api/cases/{case_id}/stage", headers=service_headers,
                        json={"stage": "drafting", "reason": "Go après diagnostic"})
    assert moved.status_code == 200
    assert moved.json["stage"] == "drafting"
    assert [h["to_stage"] for h in moved.json["history"]] == ["drafting"]

    closed = client.post(f"/api/cases/{case_id}/stage", headers=service_headers,
                         json={"stage": "abandoned", "reason": "Capacité insuffisante"})
    assert closed.json["stage"] == "abandoned"
    assert closed.json["closed_at"] is not None

    res = app.extensions["centrale"]

    def workflow_result():
        async def result(client_):
            return await client_.get_workflow_handle_for(
                CaseWorkflow.run, opened.json["workflow_id"]).result()
        return res.temporal.run(result)

    state = wait_until(workflow_result, timeout=20)
    assert state.stage == "abandoned"
    assert [h.to_stage for h in state.history] == ["drafting", "abandoned"]
    changes = [e["data"] for e in outbox_events(db, "case.stage_changed")
               if e["data"]["case_id"] == case_id]
    assert [(c["from"], c["to"]) for c in changes] == [("diagnosis", "drafting"),
                                                      ("drafting", "abandoned")]
    assert {c["structure_id"] for c in changes} == {structure["id"]}

    again = client.post(f"/api/cases/{case_id}/stage", headers=service_headers,
                        json={"stage": "drafting"})
    assert again.status_code == 409


def test_a_member_sees_only_their_structure_cases(client, worker, service_headers, make_headers,
                                                  new_structure, new_case):
    first, second = new_structure(), new_structure()
    mine = new_case(first, title="Repas des crèches")
    other = new_case(second, title="Entretien des parcs")
    member = make_headers("membre", structure_id=first["id"])
    listed = client.get("/api/cases", headers=member).json
    assert {c["id"] for c in listed} == {mine["id"]}
    assert client.get(f"/api/cases/{mine['id']}", headers=member).status_code == 200
    assert client.get(f"/api/cases/{other['id']}", headers=member).status_code == 404
    assert client.get(f"/api/cases?structure_id={second['id']}",
                      headers=member).status_code == 403
    assert client.post("/api/cases", headers=member,
                       json={"structure_id": first["id"], "buyer_name": "SARL Dupont",
                             "deadline": "2027-03-01T12:00:00+01:00",
                             "title": "Mon dossier"}).status_code == 403
    assert client.post(f"/api/cases/{mine['id']}/stage", headers=member,
                       json={"stage": "drafting"}).status_code == 403
