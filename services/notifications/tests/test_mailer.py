"""The composed message, read back by the email package as a mail client would."""

from datetime import datetime, timezone
from email import message_from_bytes, policy

import pytest

from notifications.mailer import compose, wire_bytes

SENDER = "Centrale des Marchés Solidaires <ne-pas-repondre@centrale.example>"


def email_row(**changes):
    row = {"recipient": "direction@regie.example", "recipient_name": "Nadia Bénali",
           "subject": "Échéance dans 7 jours : « Nettoyage des locaux de la mairie de Firminy »",
           "created_at": datetime(2026, 12, 2, 9, 30, tzinfo=timezone.utc),
           "message_id": "<42.direction@centrale.example>",
           "unsubscribe_url": "https://centrale.example/desabonnement/" + "a" * 120,
           "body_text": "Bonjour,\n.\nLe dossier doit être déposé avant le 9 décembre.\n",
           "body_html": "<p>Bonjour,</p><p>Le dossier doit être déposé.</p>"}
    row.update(changes)
    return row


def read_back(data: bytes):
    # What the SMTP server stores: the dot-stuffing undone.
    return message_from_bytes(data.replace(b"\r\n..", b"\r\n."), policy=policy.default)


def test_headers_and_bodies_read_back_in_french():
    data = wire_bytes(compose(email_row(), SENDER))
    assert all(len(line) <= 998 for line in data.split(b"\r\n"))
    assert b"\n" not in data.replace(b"\r\n", b"")
    message = read_back(data)
    assert message["Subject"] == ("Échéance dans 7 jours : « Nettoyage des locaux de la mairie"
                                  " de Firminy »")
    assert message["From"] == SENDER
    assert message["To"] == "Nadia Bénali <direction@regie.example>"
    assert message["List-Unsubscribe"] == "<https://centrale.example/desabonnement/" + "a" * 120 + ">"
    assert message["Message-ID"] == "<42.direction@centrale.example>"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert text == "Bonjour,\n.\nLe dossier doit être déposé avant le 9 décembre.\n"
    assert "déposé" in message.get_body(("html",)).get_content()
    assert list(message.iter_attachments()) == []


def test_a_resend_is_the_same_bytes_and_an_invitation_is_attached():
    row = email_row(attachment={"content": "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                                "filename": "formation.ics"})
    first, again = (wire_bytes(compose(row, SENDER)) for _ in range(2))
    assert first == again
    [invitation] = read_back(first).iter_attachments()
    assert invitation.get_content_type() == "text/calendar"
    assert invitation.get_param("method") == "PUBLISH"
    assert invitation.get_filename() == "formation.ics"
    assert invitation.get_content().startswith("BEGIN:VCALENDAR")


def test_a_line_break_in_a_name_or_subject_cannot_add_a_header():
    data = wire_bytes(compose(email_row(
        recipient_name="Nadia\r\nBcc: victime@exemple.fr",
        subject="Rappel\r\nBcc: autre@exemple.fr"), SENDER))
    message = read_back(data)
    assert message["Bcc"] is None
    assert "Bcc" in message["To"] and "Bcc" in message["Subject"]
    with pytest.raises(ValueError):
        compose(email_row(recipient="a@exemple.fr\r\nBcc: b@exemple.fr"), SENDER)
