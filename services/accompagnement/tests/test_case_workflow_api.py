"""A case opened through the API runs a CaseWorkflow on the real Temporal dev server."""

import pytest

from accompagnement.activities import CaseActivities
from accompagnement.workflows import CaseWorkflow
from centrale.db import Database
from centrale.testing import outbox_events, prepared_settings, running_worker, wait_until

pytestmark = pytest.mark.integration


@pytest.fixture
def env(make_service_app):
    app = make_service_app("accompagnement")
    settings = prepared_settings("accompagnement")
    db = Database.from_settings(settings).open()
    with running_worker(settings, [CaseWorkflow], CaseActivities(db).all()):
        yield app.test_client(), app, db
    db.close()


def test_a_case_moves_through_validated_stages_until_it_completes(env, service_headers):
    client, app, db = env
    opened = client.post("/api/cases", headers=service_headers,
                         json={"structure_id": 11, "tender_id": 5,
                               "title": "Nettoyage des écoles — Saint-Chamond"})
    assert opened.status_code == 201
    case_id = opened.json["id"]
    assert opened.json["stage"] == "diagnosis"

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


def test_a_member_sees_only_their_structure_cases(env, service_headers, make_headers):
    client, _app, _db = env
    mine = client.post("/api/cases", headers=service_headers,
                       json={"structure_id": 21, "title": "Repas des crèches"}).json
    other = client.post("/api/cases", headers=service_headers,
                        json={"structure_id": 22, "title": "Entretien des parcs"}).json
    member = make_headers("membre", structure_id=21)
    listed = client.get("/api/cases", headers=member).json
    assert {c["id"] for c in listed} == {mine["id"]}
    assert client.get(f"/api/cases/{mine['id']}", headers=member).status_code == 200
    assert client.get(f"/api/cases/{other['id']}", headers=member).status_code == 404
    assert client.get("/api/cases?structure_id=22", headers=member).status_code == 403
    assert client.post("/api/cases", headers=member,
                       json={"structure_id": 21, "title": "Mon dossier"}).status_code == 403
    assert client.post(f"/api/cases/{mine['id']}/stage", headers=member,
                       json={"stage": "drafting"}).status_code == 403
