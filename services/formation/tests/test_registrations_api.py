"""Registration rules through the API: who registers whom, duplicates, closing, validation."""

import pytest

from centrale.testing import outbox_events
from centrale.testing.clock import paris_at

pytestmark = pytest.mark.integration


def person(i, structure_id=1):
    return {"name": f"Camille Fabre {i}", "email": f"camille.fabre{i}@ressourcerie.example.org",
            "structure_id": structure_id}


def test_a_member_registers_people_of_their_own_structure_only(client, make_session,
                                                               make_headers, db):
    session = make_session(capacity=3)
    member = make_headers("membre", structure_id=4, subject="user:membre-4")
    own = client.post(f"/api/sessions/{session['id']}/registrations", headers=member,
                      json={"name": "Camille Fabre", "email": "camille@esat.example.org"})
    assert own.status_code == 201
    assert (own.json["structure_id"], own.json["status"], own.json["registered_by"]) == (
        4, "confirmed", "user:membre-4")
    other = client.post(f"/api/sessions/{session['id']}/registrations", headers=member,
                        json={**person(1, structure_id=5)})
    assert other.status_code == 403
    assert other.json["detail"] == "Vous ne pouvez inscrire que des personnes de votre structure."
    event = [e["data"] for e in outbox_events(db, "training.registration_confirmed")
             if e["data"]["registration_id"] == own.json["id"]][0]
    assert event["person"] == {"name": "Camille Fabre", "email": "camille@esat.example.org"}
    assert event["structure_id"] == 4 and event["module_title"] == "Rédiger un mémoire technique"
    assert event["invitation_path"] == f"/api/sessions/{session['id']}/invitation.ics"
    assert event["ics"].startswith("BEGIN:VCALENDAR")


def test_staff_must_say_which_structure_and_input_is_validated(client, make_session,
                                                               service_headers):
    session = make_session()
    url = f"/api/sessions/{session['id']}/registrations"
    missing = client.post(url, headers=service_headers,
                          json={"name": "Camille", "email": "camille@example.org"})
    assert missing.status_code == 422
    assert missing.json["errors"]["json"] == {"structure_id": ["Ce champ est obligatoire."]}
    invalid = client.post(url, headers=service_headers,
                          json={"name": "C", "email": "pas-une-adresse", "structure_id": 0,
                                "extra": True})
    assert invalid.status_code == 422
    assert invalid.mimetype == "application/problem+json"
    assert set(invalid.json["errors"]["json"]) == {"name", "email", "structure_id", "extra"}
    assert invalid.json["errors"]["json"]["email"] == ["Adresse électronique invalide."]
    assert client.post("/api/sessions/999999/registrations", headers=service_headers,
                       json=person(1)).status_code == 404


def test_one_live_registration_per_person_and_session(client, make_session, service_headers):
    session = make_session()
    url = f"/api/sessions/{session['id']}/registrations"
    first = client.post(url, headers=service_headers, json=person(1))
    assert first.status_code == 201
    again = client.post(url, headers=service_headers,
                        json={**person(1), "email": person(1)["email"].upper()})
    assert again.status_code == 409
    assert "déjà inscrite ou inscrit" in again.json["detail"]
    assert client.post(f"/api/registrations/{first.json['id']}/cancel",
                       headers=service_headers).status_code == 200
    assert client.post(f"/api/registrations/{first.json['id']}/cancel",
                       headers=service_headers).json["detail"] == (
        "Cette inscription est déjà annulée.")
    # Cancelled: the person may register again.
    assert client.post(url, headers=service_headers, json=person(1)).status_code == 201


def test_registrations_close_before_the_session_and_the_waitlist_freezes(
        client, db, make_session, service_headers):
    session = make_session(capacity=1, hours_ahead=60, close_hours=48)
    url = f"/api/sessions/{session['id']}/registrations"
    seat = client.post(url, headers=service_headers, json=person(1)).json
    waiting = client.post(url, headers=service_headers, json=person(2)).json
    assert waiting["status"] == "waitlisted" and waiting["waitlist_position"] == 1
    # Sixty hours before, a 72 h closing delay is past.
    with db.transaction() as conn:
        conn.execute("UPDATE sessions SET registration_close_hours = 72 WHERE id = %s",
                     (session["id"],))
    closed = client.post(url, headers=service_headers, json=person(3))
    assert closed.status_code == 409
    assert closed.json["detail"].startswith("Les inscriptions sont closes depuis le ")
    detail = client.get(f"/api/sessions/{session['id']}", headers=service_headers).json
    assert detail["registrations_open"] is False
    # A cancellation after the closing hands the seat to nobody: the list is final.
    cancelled = client.post(f"/api/registrations/{seat['id']}/cancel", headers=service_headers)
    assert cancelled.json["promoted"] == []
    assert client.get(f"/api/registrations/{waiting['id']}",
                      headers=service_headers).json["status"] == "waitlisted"


def test_sessions_are_created_with_a_place_or_a_video_link(client, service_headers):
    starts = paris_at(60, 9)  # in the future: a start in the past hides the other errors
    base = {"module_code": "dume", "starts_at": starts.isoformat(),
            "ends_at": starts.replace(hour=12, minute=30).isoformat(),
            "trainer": "Sophie Giraud", "capacity": 8}
    nowhere = client.post("/api/sessions", headers=service_headers, json=base)
    assert nowhere.status_code == 422
    assert nowhere.json["errors"]["json"]["place"] == [
        "Indiquez un lieu ou un lien de visioconférence."]
    past = client.post("/api/sessions", headers=service_headers,
                       json={**base, "place": "Saint-Étienne",
                             "starts_at": "2020-05-04T09:00:00+02:00"})
    assert past.json["errors"]["json"]["starts_at"] == ["La session doit commencer dans le futur."]
    bad_link = client.post("/api/sessions", headers=service_headers,
                           json={**base, "video_url": "visio"})
    assert bad_link.json["errors"]["json"]["video_url"] == ["Adresse web invalide."]


def test_a_member_cannot_schedule_cancel_or_take_attendance(client, make_session, make_headers):
    session = make_session()
    member = make_headers("membre", structure_id=1)
    assert client.post(f"/api/sessions/{session['id']}/cancel", headers=member,
                       json={"reason": "Je préfère pas"}).status_code == 403
    assert client.post(f"/api/sessions/{session['id']}/attendance", headers=member,
                       json={"attendance": [{"registration_id": 1, "attended": True}]}
                       ).status_code == 403
