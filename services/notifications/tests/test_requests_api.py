"""The portail asks notifications to check an address someone typed and to relay the public
directory's messages to a structure's contacts: each mailed once, the contacts' addresses never
given back, hostile headers refused."""

import uuid
from datetime import datetime, timedelta, timezone

import pytest

from notifications.sender import Sender

pytestmark = pytest.mark.integration


@pytest.fixture
def client(make_service_app):
    return make_service_app("notifications").test_client()


@pytest.fixture
def portail(service_headers):
    return service_headers


def check(email: str, **changes):
    return {"check_id": str(uuid.uuid4()), "email": email, "name": "Marc Vidal",
            "purpose": "contact", "link": "http://portail.example/annuaire/confirmer/Tok_1",
            "expires_at": (datetime.now(timezone.utc) + timedelta(days=1)).isoformat(),
            **changes}


def message(structure_id: int, **changes):
    return {"message_id": str(uuid.uuid4()), "structure_id": structure_id,
            "sender_name": "Marc Vidal", "sender_email": "marc.vidal@mairie-firminy.fr",
            "organisation": "Mairie de Firminy", "subject": "Entretien du parc",
            "body": "Bonjour, pourriez-vous nous proposer un devis pour l'entretien du parc ?",
            **changes}


def test_an_address_check_is_mailed_once(client, portail, db, config, smtp_sink):
    email = f"visiteur-{uuid.uuid4().hex[:8]}@test.example"
    body = check(email)
    first = client.post("/api/email-checks", json=body, headers=portail)
    again = client.post("/api/email-checks", json=body, headers=portail)
    assert (first.status_code, first.json["queued"], again.json["queued"]) == (202, 1, 0)
    assert Sender(db, config).send_due()["sent"] == 1
    [mail] = smtp_sink.messages(to=email)
    assert mail.subject == "Confirmez votre adresse électronique"
    assert "Pour envoyer votre message à une structure de l'annuaire, confirmez votre adresse" \
        in mail.text
    assert "http://portail.example/annuaire/confirmer/Tok_1" in mail.text


def test_a_directory_message_goes_to_the_structure_s_contacts_only(
        client, portail, db, config, smtp_sink, notify, factory):
    structure = factory.structure(name="Jardins de Cocagne du Forez")
    notify(structure)
    sid = structure.data["structure_id"]
    contact = structure.data["contacts"][0]["email"]
    body = message(sid, body="Bonjour <b>équipe</b>,\npourriez-vous nous proposer un devis ?")
    response = client.post("/api/directory-messages", json=body, headers=portail)
    assert response.status_code == 202 and response.json == {"queued": 1}
    assert contact not in response.get_data(as_text=True)
    assert client.post("/api/directory-messages", json=body,
                       headers=portail).json == {"queued": 0}
    Sender(db, config).send_due()
    [mail] = smtp_sink.messages(to=contact)
    assert mail.subject == "Message de l'annuaire : Entretien du parc"
    assert "Marc Vidal (Mairie de Firminy) écrit à Jardins de Cocagne du Forez" in mail.text
    assert "écrivez à marc.vidal@mairie-firminy.fr" in mail.text
    assert "<b>" not in mail.html and "&lt;b&gt;équipe&lt;/b&gt;" in mail.html
    assert smtp_sink.messages(to="marc.vidal@mairie-firminy.fr") == []


@pytest.mark.parametrize("field, value", [
    ("subject", "Devis\r\nBcc: victime@exemple.fr"),
    ("subject", "Devis\nX-Injected: oui"),
    ("sender_name", "Marc\r\nBcc: x@exemple.fr"),
    ("sender_email", "marc@exemple.fr\r\nBcc: x@exemple.fr"),
])
def test_header_injection_is_refused(client, portail, field, value):
    response = client.post("/api/directory-messages", json=message(1, **{field: value}),
                           headers=portail)
    assert response.status_code == 422
    assert field in response.json["errors"]["json"]


def test_only_the_portail_and_staff_ask(client, make_headers):
    for role, structure_id in (("membre", 3), ("acheteur", None), ("facilitateur", None)):
        headers = make_headers(role, structure_id=structure_id)
        assert client.post("/api/directory-messages", json=message(3),
                           headers=headers).status_code == 403
        assert client.post("/api/email-checks", json=check("a@test.example"),
                           headers=headers).status_code == 403
