"""The .ics invitation (Europe/Paris with its VTIMEZONE) and the reminders that carry it."""

from datetime import datetime, timedelta, timezone

import pytest
from icalendar import Calendar

from centrale.testing import outbox_events
from formation.activities import (CloseRegistrationsInput, CloseSessionInput, SendRemindersInput,
                                  SessionActivities)
from centrale.french import PARIS

pytestmark = pytest.mark.integration


def parse(text: str):
    calendar = Calendar.from_ical(text)
    timezones = [c for c in calendar.walk("VTIMEZONE")]
    events = [c for c in calendar.walk("VEVENT")]
    return calendar, timezones, events


def test_the_invitation_is_in_europe_paris_with_its_vtimezone(client, make_session,
                                                              make_headers):
    session = make_session(video_url="https://visio.example.org/salle-12", module_code="dume",
                           hours=3.5)
    response = client.get(f"/api/sessions/{session['id']}/invitation.ics",
                          headers=make_headers("membre", structure_id=8))
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.data.decode("utf-8")
    assert "DTSTART;TZID=Europe/Paris:" in text
    calendar, timezones, events = parse(text)
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Paris"]
    assert {c.name for c in timezones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    (event,) = events
    start = event.decoded("DTSTART")
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert start == session["starts_at"] and start.astimezone(PARIS).hour == 9
    assert event.decoded("DTEND") - start == timedelta(hours=3, minutes=30)
    assert str(event["SUMMARY"]) == "Formation : Le DUME et le dossier administratif"
    assert "https://visio.example.org/salle-12" in str(event["LOCATION"])
    assert str(event["URL"]) == "https://visio.example.org/salle-12"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["UID"]).startswith(session["workflow_id"])
    # The VTIMEZONE gives the right offsets in winter and in summer.
    vtz = timezones[0].to_tz()
    assert vtz.utcoffset(datetime(2027, 1, 15, 12)) == timedelta(hours=1)
    assert vtz.utcoffset(datetime(2027, 7, 15, 12)) == timedelta(hours=2)
    assert client.get("/api/sessions/999999/invitation.ics",
                      headers=make_headers("membre", structure_id=8)).status_code == 404


def test_reminders_go_to_each_confirmed_person_once_with_the_invitation(client, db,
                                                                        make_session,
                                                                        service_headers):
    session = make_session(capacity=2)
    url = f"/api/sessions/{session['id']}/registrations"
    for i in range(3):  # two seats, one waitlisted
        client.post(url, headers=service_headers,
                    json={"name": f"Personne {i}", "email": f"rappel{i}@example.org",
                          "structure_id": 1})
    activities = SessionActivities(db)
    reminder = SendRemindersInput(session_id=session["id"], days_before=7)
    assert activities.send_reminders(reminder) == 2
    assert activities.send_reminders(reminder) == 0  # a retried activity reminds nobody twice
    events = [e for e in outbox_events(db, "training.reminder")
              if e["data"]["session_id"] == session["id"]]
    assert sorted(e["data"]["person"]["email"] for e in events) == [
        "rappel0@example.org", "rappel1@example.org"]
    data = events[0]["data"]
    assert data["days_before"] == 7
    assert data["starts_at"] == session["starts_at"].isoformat()
    assert data["invitation_path"] == f"/api/sessions/{session['id']}/invitation.ics"
    _calendar, timezones, ics_events = parse(data["ics"])
    assert str(timezones[0]["TZID"]) == "Europe/Paris"
    assert ics_events[0].decoded("DTSTART") == session["starts_at"]

    # Closing registrations tells who stays on the waitlist, once.
    closing = CloseRegistrationsInput(session_id=session["id"])
    assert activities.close_registrations(closing) is True
    assert activities.close_registrations(closing) is False
    closed = [e["data"] for e in outbox_events(db, "training.registrations_closed")
              if e["data"]["session_id"] == session["id"]]
    assert len(closed) == 1
    assert (closed[0]["confirmed"], closed[0]["waitlisted"]) == (2, 1)
    assert closed[0]["waitlisted_people"][0]["email"] == "rappel2@example.org"
    refused = client.post(url, headers=service_headers,
                          json={"name": "Tard", "email": "tard@example.org", "structure_id": 1})
    assert refused.status_code == 409


def test_a_cancelled_session_tells_everyone_and_its_invitation_says_so(client, db,
                                                                      make_session,
                                                                      service_headers):
    session = make_session(capacity=1)
    url = f"/api/sessions/{session['id']}/registrations"
    for i, structure in enumerate((3, 4)):
        client.post(url, headers=service_headers,
                    json={"name": f"Personne {i}", "email": f"annul{i}@example.org",
                          "structure_id": structure})
    assert SessionActivities(db).close_session(CloseSessionInput(
        session_id=session["id"], status="cancelled", reason="Formatrice malade")) is True
    (event,) = [e["data"] for e in outbox_events(db, "training.session_cancelled")
                if e["data"]["session_id"] == session["id"]]
    assert event["reason"] == "Formatrice malade"
    assert event["module_title"] == "Rédiger un mémoire technique"
    assert [(p["email"], p["status"]) for p in event["people"]] == [
        ("annul0@example.org", "confirmed"), ("annul1@example.org", "waitlisted")]
    assert event["structure_ids"] == [3, 4]
    ics = client.get(f"/api/sessions/{session['id']}/invitation.ics",
                     headers=service_headers).data.decode()
    (_cal, _tz, (vevent,)) = parse(ics)
    assert str(vevent["STATUS"]) == "CANCELLED" and int(vevent["SEQUENCE"]) == 1
    assert "Formatrice malade" in str(vevent["DESCRIPTION"])
    assert client.post(url, headers=service_headers,
                       json={"name": "Xavier", "email": "x@example.org", "structure_id": 1}
                       ).json["detail"] == "Cette session a été annulée."
