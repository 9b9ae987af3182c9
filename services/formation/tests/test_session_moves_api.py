"""Moving a session through the API, on the real Temporal dev server with the real
activities: everyone registered is told with the new invitation, the workflow plans from the
new dates, a reminder planned for the old date is not sent, bad moves are refused."""

from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from centrale.testing import outbox_events, prepared_settings, running_worker, wait_until
from centrale.testing.clock import paris_at
from formation import session_steps as store
from formation.activities import SessionActivities
from centrale.french import PARIS
from formation.workflows import SessionWorkflow

pytestmark = pytest.mark.integration

# Dates from the clock: a session must start in the future, and its workflow plans from now.
STARTS, NEW_STARTS = paris_at(60, 9), paris_at(67, 14)
SESSION = {"module_code": "memoire-technique", "starts_at": STARTS.isoformat(),
           "ends_at": STARTS.replace(hour=17).isoformat(),
           "place": "Maison de l'ESS, Saint-Étienne", "trainer": "Claire Martin", "capacity": 1}
NEW_DATES = {"starts_at": NEW_STARTS.isoformat(),
             "ends_at": NEW_STARTS.replace(hour=17, minute=30).isoformat()}


@pytest.fixture
def env(app, db):
    settings = prepared_settings("formation")
    with running_worker(settings, [SessionWorkflow], SessionActivities(db).all()):
        yield app, app.test_client(), db


def progress_of(app, workflow_id):
    async def query(temporal):
        return await temporal.get_workflow_handle(workflow_id).query(SessionWorkflow.get_progress)

    return app.extensions["centrale"].temporal.run(query, timeout=20)


def invitation_event(ics: str):
    [event] = Calendar.from_ical(ics).walk("VEVENT")
    return event


def test_a_moved_session_tells_everyone_and_its_workflow_follows(env, service_headers):
    app, client, db = env
    session = client.post("/api/sessions", json=SESSION, headers=service_headers).json
    sid = session["id"]
    before = client.get(f"/api/sessions/{sid}/invitation.ics", headers=service_headers)
    for i in range(2):  # one seat: the second person waits
        assert client.post(f"/api/sessions/{sid}/registrations", headers=service_headers, json={
            "name": f"Personne {i}", "email": f"move{i}@example.org",
            "structure_id": 1 + i}).status_code == 201

    moved = client.post(f"/api/sessions/{sid}/reschedule", headers=service_headers,
                        json={**NEW_DATES, "reason": "Salle indisponible"})
    assert moved.status_code == 200, moved.json
    assert moved.json["starts_at"] == NEW_DATES["starts_at"]
    assert moved.json["ends_at"] == NEW_DATES["ends_at"]
    # 24 real hours before the new start.
    assert moved.json["registrations_close_at"] == (
        NEW_STARTS.astimezone(timezone.utc) - timedelta(hours=24)).astimezone(PARIS).isoformat()
    assert moved.json["revision"] == 1
    assert moved.json["confirmed_count"] == 1 and moved.json["waitlisted_count"] == 1

    [event] = [e["data"] for e in outbox_events(db, "training.session_rescheduled")
               if e["data"]["session_id"] == sid]
    assert event["previous_starts_at"] == SESSION["starts_at"]
    assert event["reason"] == "Salle indisponible"
    assert [(p["email"], p["status"]) for p in event["people"]] == [
        ("move0@example.org", "confirmed"), ("move1@example.org", "waitlisted")]
    old, new = invitation_event(before.get_data(as_text=True)), invitation_event(event["ics"])
    assert new["UID"] == old["UID"]  # calendars replace the entry rather than add one
    assert int(new["SEQUENCE"]) == int(old["SEQUENCE"]) + 1
    assert new.decoded("DTSTART") == NEW_STARTS
    served = invitation_event(client.get(f"/api/sessions/{sid}/invitation.ics",
                                         headers=service_headers).get_data(as_text=True))
    assert int(served["SEQUENCE"]) == 1

    progress = wait_until(lambda: (lambda p: p if p.starts_at == NEW_DATES["starts_at"] else None)(
        progress_of(app, session["workflow_id"])), timeout=20,
        message="the workflow did not take the new dates")
    assert progress.ends_at == NEW_DATES["ends_at"] and progress.status == "scheduled"

    [move] = client.get(f"/api/sessions/{sid}/moves", headers=service_headers).json
    assert move["from_starts_at"] == SESSION["starts_at"]
    assert move["to_starts_at"] == NEW_DATES["starts_at"]
    assert move["reason"] == "Salle indisponible" and move["moved_by"]

    # A J-7 the workflow planned for the old date is not sent; the new date's is, once.
    with db.transaction() as conn:
        assert store.send_reminders(conn, sid, 7, STARTS) == 0
        assert store.send_reminders(conn, sid, 7, NEW_STARTS) == 1
        assert store.send_reminders(conn, sid, 7, NEW_STARTS) == 0
        # Nor does a closing planned for the old date close the new date's registrations.
        assert store.close_registrations(conn, sid, STARTS) is False
    assert client.get(f"/api/sessions/{sid}", headers=service_headers).json[
        "registrations_open"] is True
    reminders = [e["data"] for e in outbox_events(db, "training.reminder")
                 if e["data"]["session_id"] == sid]
    assert [(r["person"]["email"], r["starts_at"]) for r in reminders] == [
        ("move0@example.org", NEW_DATES["starts_at"])]


def test_bad_moves_are_refused_with_their_reason(env, service_headers, make_headers):
    _app, client, _db = env
    session = client.post("/api/sessions", json=SESSION, headers=service_headers).json
    path = f"/api/sessions/{session['id']}/reschedule"

    def move(json, headers=service_headers):
        return client.post(path, json=json, headers=headers)

    backwards = move({**NEW_DATES, "ends_at": NEW_STARTS.replace(hour=13).isoformat()})
    assert backwards.status_code == 422
    assert backwards.json["errors"]["json"]["ends_at"] == ["La fin doit suivre le début."]
    past = move({"starts_at": "2020-01-06T09:00:00+01:00", "ends_at": "2020-01-06T12:00:00+01:00"})
    assert past.status_code == 422
    assert past.json["errors"]["json"]["starts_at"] == [
        "La nouvelle date de début doit être dans le futur."]
    naive = move({"starts_at": NEW_STARTS.replace(tzinfo=None).isoformat(),
                  "ends_at": NEW_STARTS.replace(hour=17, tzinfo=None).isoformat()})
    assert naive.status_code == 422
    same = move({"starts_at": SESSION["starts_at"], "ends_at": SESSION["ends_at"]})
    assert same.status_code == 409 and same.json["detail"] == "La session a déjà ces dates."
    member = make_headers("membre", structure_id=1)
    assert move(NEW_DATES, headers=member).status_code == 403
    assert client.get(f"/api/sessions/{session['id']}/moves", headers=member).status_code == 403
    assert client.post("/api/sessions/999999/reschedule", json=NEW_DATES,
                       headers=service_headers).status_code == 404

    assert client.post(f"/api/sessions/{session['id']}/cancel", headers=service_headers,
                       json={"reason": "Formatrice indisponible"}).status_code == 202
    wait_until(lambda: client.get(f"/api/sessions/{session['id']}", headers=service_headers)
               .json["status"] == "cancelled", timeout=20, message="session not cancelled")
    cancelled = move(NEW_DATES)
    assert cancelled.status_code == 409
    assert cancelled.json["detail"] == "Cette session a été annulée : programmez-en une nouvelle."
    assert client.get(f"/api/sessions/{session['id']}/moves",
                      headers=service_headers).json == []


def test_a_session_moved_sooner_is_held_at_its_new_end(env, service_headers):
    """Moved from a minute ahead to a few seconds ahead, on the real server: the workflow
    closes registrations and holds the session at the new times, not the old ones."""
    _app, client, db = env
    start = datetime.now(timezone.utc) + timedelta(seconds=60)
    created = client.post("/api/sessions", headers=service_headers, json={
        **SESSION, "starts_at": start.isoformat(), "ends_at": (start + timedelta(seconds=3))
        .isoformat(), "registration_close_hours": 0})
    assert created.status_code == 201, created.json
    sid = created.json["id"]
    soon = datetime.now(timezone.utc) + timedelta(seconds=4)
    moved = client.post(f"/api/sessions/{sid}/reschedule", headers=service_headers, json={
        "starts_at": soon.isoformat(), "ends_at": (soon + timedelta(seconds=2)).isoformat()})
    assert moved.status_code == 200, moved.json
    wait_until(lambda: client.get(f"/api/sessions/{sid}", headers=service_headers)
               .json["status"] == "held", timeout=25, message="not held at the new end")
    assert datetime.now(timezone.utc) < start  # well before the old start
    assert [e for e in outbox_events(db, "training.registrations_closed")
            if e["data"]["session_id"] == sid]
