"""The portail asks notifications to send its invitations: once per invitation, logged in the
delivery log, by the invited address' preference, sent by the sender like any email."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from notifications import store
from notifications.domain.kinds import Mode
from notifications.sender import Sender

pytestmark = pytest.mark.integration


@pytest.fixture
def client(make_service_app):
    return make_service_app("notifications").test_client()


def invitation(email: str, **changes):
    return {"invitation_id": str(uuid.uuid4()), "email": email,
            "link": "http://portail.example/invitation/Secret-Token_1",
            "invited_by": "Claire Martin",
            "role": "membre", "structure_id": 4,
            "expires_at": datetime(2027, 1, 27, 11, 0, tzinfo=timezone.utc).isoformat(),
            **changes}


def test_an_invitation_is_mailed_once_and_logged(client, person_headers, db, config, smtp_sink):
    email = f"invite-{uuid.uuid4().hex[:8]}@test.example"
    body = invitation(email.upper())
    advisor = person_headers("claire@centrale.fr", role="conseiller")
    first = client.post("/api/invitations", json=body, headers=advisor)
    again = client.post("/api/invitations", json=body, headers=advisor)
    assert (first.status_code, first.json["queued"]) == (202, True)
    assert (again.status_code, again.json["queued"]) == (202, False)
    assert Sender(db, config).send_due()["sent"] == 1

    [mail] = smtp_sink.messages(to=email)
    assert mail.subject == "Votre accès à la Centrale des Marchés Solidaires"
    assert mail.text.startswith(
        "Bonjour,\n\nClaire Martin vous invite à rejoindre la Centrale des Marchés Solidaires "
        "(membre d'une structure).\n\nCréez votre compte en suivant ce lien, valable jusqu'au "
        "mercredi 27 janvier 2027 à 12 h 00 :\n\nhttp://portail.example/invitation/"
        "Secret-Token_1\n")
    log = client.get("/api/deliveries", query_string={"recipient": email},
                     headers=advisor).json
    assert [(d["event_type"], d["status"]) for d in log] == [("account.invited", "sent")]


def test_an_address_that_wants_no_invitation_gets_none(client, person_headers, db, config,
                                                       smtp_sink):
    email = f"jamais-{uuid.uuid4().hex[:8]}@test.example"
    with db.transaction() as conn:
        store.preferences.set_mode(conn, email, "acces", Mode.NEVER, "test")
    response = client.post("/api/invitations", json=invitation(email),
                           headers=person_headers("claire@centrale.fr", role="conseiller"))
    assert response.status_code == 202
    Sender(db, config).send_due()
    assert smtp_sink.messages(to=email) == []
    with db.transaction() as conn:
        [delivery] = conn.execute("SELECT status FROM deliveries WHERE recipient = %s",
                                  (email,)).fetchall()
    assert delivery["status"] == "skipped_by_preference"


def test_only_staff_invite(client, person_headers):
    response = client.post("/api/invitations", json=invitation("x@test.example"),
                           headers=person_headers("anne@test.example", structure_id=4))
    assert response.status_code == 403


def test_an_invitation_link_must_be_a_web_address(client, person_headers):
    response = client.post("/api/invitations",
                           json=invitation("x@test.example", link="javascript:alert(1)"),
                           headers=person_headers("claire@centrale.fr", role="conseiller"))
    assert response.status_code == 422
    assert "link" in response.json["errors"]["json"]


def test_a_password_reset_link_is_sent_once(client, db, config, smtp_sink, factory,
                                            service_headers, person_headers):
    import uuid

    from notifications.sender import Sender

    reset = {"reset_id": str(uuid.uuid4()), "email": factory.address("Odile"),
             "name": "Odile Bravard", "link": "http://127.0.0.1:8000/mot-de-passe/abc",
             "expires_at": "2027-01-20T12:00:00+01:00"}
    first = client.post("/api/password-resets", json=reset, headers=service_headers)
    again = client.post("/api/password-resets", json=reset, headers=service_headers)
    assert (first.status_code, first.json["queued"]) == (202, True)
    assert again.json["queued"] is False
    assert client.post("/api/password-resets", json=reset,
                       headers=person_headers(reset["email"], "membre", structure_id=3)
                       ).status_code == 403
    Sender(db, config).send_due()
    [mail] = smtp_sink.messages(to=reset["email"].lower())
    assert mail.subject == "Choisir un nouveau mot de passe"
    assert "http://127.0.0.1:8000/mot-de-passe/abc" in mail.text
