"""Sessions scheduled through the API run a SessionWorkflow on the real Temporal dev server,
with the real activities against the real database."""

from datetime import datetime, timedelta, timezone

import pytest

from centrale.testing import outbox_events, prepared_settings, running_worker, wait_until
from centrale.testing.clock import paris_at
from formation.activities import SessionActivities
from centrale.french import PARIS
from formation.workflows import SessionWorkflow

pytestmark = pytest.mark.integration

MODULE = {"code": "memoire-technique", "title": "Rédiger un mémoire technique",
          "objectives": "Structurer une réponse convaincante.", "duration_h": 7}
STARTS = paris_at(60, 9)  # a session must start in the future
SESSION = {"module_code": "memoire-technique", "starts_at": STARTS.isoformat(),
           "ends_at": STARTS.replace(hour=17).isoformat(),
           "place": "Maison de l'ESS, Saint-Étienne", "trainer": "Claire Martin", "capacity": 10}


@pytest.fixture
def env(app, db):
    settings = prepared_settings("formation")
    with running_worker(settings, [SessionWorkflow], SessionActivities(db).all()):
        yield app.test_client(), db


def session_status(client, headers, session_id):
    return client.get(f"/api/sessions/{session_id}", headers=headers).json["status"]


def test_a_cancelled_session_ends_its_workflow_and_announces_it(env, service_headers):
    client, db = env
    assert client.post("/api/modules", json=MODULE, headers=service_headers).status_code == 201
    created = client.post("/api/sessions", json={**SESSION, "capacity": 1},
                          headers=service_headers)
    assert created.status_code == 201
    session = created.json
    assert session["starts_at"] == SESSION["starts_at"]
    assert session["module_title"] == "Rédiger un mémoire technique"
    assert session["registrations_close_at"] == (  # 24 real hours before
        STARTS.astimezone(timezone.utc) - timedelta(hours=24)).astimezone(PARIS).isoformat()
    for i in range(2):
        client.post(f"/api/sessions/{session['id']}/registrations", headers=service_headers,
                    json={"name": f"Personne {i}", "email": f"wf{i}@example.org",
                          "structure_id": 1 + i})

    cancelled = client.post(f"/api/sessions/{session['id']}/cancel", headers=service_headers,
                            json={"reason": "Formatrice indisponible"})
    assert cancelled.status_code == 202

    wait_until(lambda: session_status(client, service_headers, session["id"]) == "cancelled",
               timeout=20, message="session not cancelled by its workflow")
    events = [e for e in outbox_events(db, "training.session_cancelled")
              if e["data"]["session_id"] == session["id"]]
    assert len(events) == 1 and events[0]["data"]["reason"] == "Formatrice indisponible"
    assert [p["email"] for p in events[0]["data"]["people"]] == ["wf0@example.org",
                                                                 "wf1@example.org"]
    again = client.post(f"/api/sessions/{session['id']}/cancel", headers=service_headers,
                        json={"reason": "Encore"})
    assert again.status_code == 409


def test_a_short_session_runs_to_its_survey(app, env, service_headers):
    """A session starting in a few seconds: registrations close at its start (0 h), it is
    held at its end, the attendance sheet makes the workflow ask for the survey at once."""
    client, db = env
    start = (datetime.now(timezone.utc) + timedelta(seconds=5)).astimezone(PARIS)
    end = start + timedelta(seconds=3)
    created = client.post("/api/sessions", headers=service_headers, json={
        **SESSION, "starts_at": start.isoformat(), "ends_at": end.isoformat(),
        "registration_close_hours": 0, "place": None,
        "video_url": "https://visio.example.org/courte"})
    assert created.status_code == 201, created.json
    session = created.json
    assert session["place"] == "À distance (visioconférence)"
    ids = [client.post(f"/api/sessions/{session['id']}/registrations", headers=service_headers,
                       json={"name": f"Personne {i}", "email": f"court{i}@example.org",
                             "structure_id": 1}).json["id"] for i in range(2)]

    def closed():
        return [e for e in outbox_events(db, "training.registrations_closed")
                if e["data"]["session_id"] == session["id"]]

    wait_until(closed, timeout=20, message="registrations not closed by the workflow")
    late = client.post(f"/api/sessions/{session['id']}/registrations", headers=service_headers,
                       json={"name": "En retard", "email": "retard@example.org",
                             "structure_id": 1})
    assert late.status_code == 409
    sheet = client.post(f"/api/sessions/{session['id']}/attendance", headers=service_headers,
                        json={"attendance": [{"registration_id": ids[0], "attended": True},
                                             {"registration_id": ids[1], "attended": False}]})
    assert sheet.status_code == 200

    def surveyed():
        return [e["data"] for e in outbox_events(db, "training.survey_requested")
                if e["data"]["session_id"] == session["id"]]

    asked = wait_until(surveyed, timeout=30, message="survey not requested")
    assert [a["registration_id"] for a in asked] == [ids[0]]  # the absent person is not asked
    assert session_status(client, service_headers, session["id"]) == "held"

    async def result(temporal):
        handle = temporal.get_workflow_handle_for(SessionWorkflow.run, session["workflow_id"])
        return await handle.result(), await handle.query(SessionWorkflow.get_progress)

    status, progress = app.extensions["centrale"].temporal.run(result, timeout=20)
    assert status == "held"
    assert progress.registrations_closed and progress.attendance_recorded
    assert progress.reminders_sent == []  # J-7 and J-1 were long past at scheduling


def test_session_input_is_validated(env, service_headers):
    client, _db = env
    response = client.post("/api/sessions", headers=service_headers,
                           json={**SESSION, "ends_at": STARTS.replace(hour=8).isoformat()})
    assert response.status_code == 422
    assert response.json["errors"]["json"]["ends_at"] == ["La fin doit suivre le début."]
    empty = client.post("/api/sessions", headers=service_headers, json={**SESSION, "capacity": 0})
    assert empty.status_code == 422
    assert list(empty.json["errors"]["json"]) == ["capacity"]
    unknown = client.post("/api/sessions", headers=service_headers,
                          json={**SESSION, "module_code": "inconnu"})
    assert unknown.status_code == 422
    assert unknown.json["errors"]["json"]["module_code"] == ["Module inconnu."]


def test_with_temporal_unreachable_nothing_is_scheduled_and_the_answer_is_503(
        db, service_headers):
    """The session is created in the transaction that starts its workflow: Temporal down
    answers 503 (try again), and no session without a workflow is left behind."""
    from dataclasses import replace

    from centrale.testing import free_port
    from formation.app import create_app

    settings = replace(prepared_settings("formation"), temporal_address=f"127.0.0.1:{free_port()}")
    app = create_app(settings)
    app.config["TESTING"] = True
    try:
        with db.transaction() as conn:
            before = conn.execute("SELECT count(*) AS n FROM sessions").fetchone()["n"]
        response = app.test_client().post("/api/sessions", headers=service_headers,
                                          json={**SESSION, "trainer": "Sans Temporal"})
        assert response.status_code == 503
        assert response.json["detail"] == ("Un service dont dépend cette action ne répond pas "
                                           "pour l'instant : réessayez dans un moment.")
        with db.transaction() as conn:
            assert conn.execute("SELECT count(*) AS n FROM sessions").fetchone()["n"] == before
    finally:
        app.extensions["centrale"].db.close()
        app.extensions["centrale"].bus.close()
