"""A session scheduled through the API runs a SessionWorkflow on the real Temporal dev server."""

import pytest

from centrale.db import Database
from centrale.testing import outbox_events, prepared_settings, running_worker, wait_until
from formation.activities import SessionActivities
from formation.workflows import SessionWorkflow

pytestmark = pytest.mark.integration

MODULE = {"code": "memoire-technique", "title": "Rédiger un mémoire technique",
          "objectives": "Structurer une réponse convaincante.", "duration_h": "7.00"}
SESSION = {"module_code": "memoire-technique", "starts_at": "2027-03-04T09:00:00+01:00",
           "ends_at": "2027-03-04T17:00:00+01:00", "place": "Maison de l'ESS, Saint-Étienne",
           "trainer": "Claire Martin", "capacity": 10}


@pytest.fixture
def env(make_service_app):
    app = make_service_app("formation")
    settings = prepared_settings("formation")
    db = Database.from_settings(settings).open()
    with running_worker(settings, [SessionWorkflow], SessionActivities(db).all()):
        yield app.test_client(), db
    db.close()


def test_a_cancelled_session_ends_its_workflow_and_announces_it(env, service_headers):
    client, db = env
    assert client.post("/api/modules", json=MODULE, headers=service_headers).status_code == 201
    created = client.post("/api/sessions", json=SESSION, headers=service_headers)
    assert created.status_code == 201
    session = created.json
    assert session["starts_at"] == "2027-03-04T09:00:00+01:00"
    assert session["module_title"] == "Rédiger un mémoire technique"

    cancelled = client.post(f"/api/sessions/{session['id']}/cancel", headers=service_headers,
                            json={"reason": "Formatrice indisponible"})
    assert cancelled.status_code == 202

    def status():
        rows = client.get("/api/sessions?limit=200", headers=service_headers).json
        return next(r["status"] for r in rows if r["id"] == session["id"]) == "cancelled"

    wait_until(status, timeout=20, message="session not cancelled by its workflow")
    events = [e for e in outbox_events(db, "training.session_cancelled")
              if e["data"]["session_id"] == session["id"]]
    assert len(events) == 1 and events[0]["data"]["reason"] == "Formatrice indisponible"
    again = client.post(f"/api/sessions/{session['id']}/cancel", headers=service_headers,
                        json={"reason": "Encore"})
    assert again.status_code == 409


def test_session_input_is_validated(env, service_headers):
    client, _db = env
    response = client.post("/api/sessions", headers=service_headers,
                           json={**SESSION, "ends_at": "2027-03-04T08:00:00+01:00"})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["ends_at"] == ["La fin doit suivre le début."]
    empty = client.post("/api/sessions", headers=service_headers, json={**SESSION, "capacity": 0})
    assert empty.status_code == 422
    assert list(empty.json["errors"]["json"]) == ["capacity"]
    unknown = client.post("/api/sessions", headers=service_headers,
                          json={**SESSION, "module_code": "inconnu"})
    assert unknown.status_code == 422
    assert unknown.json["errors"]["json"]["module_code"] == ["Module inconnu."]
