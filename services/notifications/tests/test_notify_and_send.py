"""Events become notifications, deliveries and emails; the sender mails them once."""

from datetime import timedelta

import pytest

from centrale.testing import wait_until
from notifications import store
from notifications.domain.delivery import event_email_key, message_id
from notifications.sender import Sender, background_sender

pytestmark = pytest.mark.integration

# A fixed deadline, for its French rendering: these reminders are mailed at once (the
# default), so the urgency it takes on near its day, which only overrides a digest, changes
# nothing here.
DEADLINE = "2027-01-20T12:00:00+01:00"


def rows(db, sql, *params):
    with db.transaction() as conn:
        return conn.execute(sql, params).fetchall()


def test_a_deadline_reminder_mails_the_contacts_and_the_advisor_in_french(
        factory, notify, db, config, smtp_sink):
    structure = factory.structure()
    sid = structure.data["structure_id"]
    reminder = factory.deadline_reminder(sid, deadline=DEADLINE)
    notify(structure, reminder)
    assert Sender(db, config).send_due()["sent"] == 2

    anne, jeanne = factory.address("anne.martin"), factory.address("jeanne.dupont")
    [mail] = smtp_sink.messages(to=anne)
    assert mail.subject == "Échéance dans 7 jours : « Nettoyage des locaux de la mairie de Firminy »"
    assert mail.message["To"] == f"Anne Martin <{anne}>"
    assert mail.message["From"] == \
        "Centrale des Marchés Solidaires <notifications@marches-solidaires.localhost>"
    assert mail.mail_from == "notifications@marches-solidaires.localhost"
    assert mail.message_id == message_id(event_email_key(reminder.id, anne), config.mail_domain)
    assert mail.text.startswith(
        "Bonjour Anne Martin,\n\nLa réponse de votre structure à « Nettoyage des locaux de la "
        "mairie de Firminy » doit être déposée dans 7 jours.\n\n"
        "Date limite de dépôt : mercredi 20 janvier 2027 à 12 h 00\n"
        "Étape en cours : Rédaction\n")
    assert "Votre conseiller ou conseillère, Jeanne Dupont, peut vous aider" in mail.text
    assert mail.message["List-Unsubscribe"].startswith(f"<{config.public_url}/desabonnement/")
    assert mail.message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "<strong>mercredi 20 janvier 2027 à 12 h 00</strong>" in mail.html
    [advisor_mail] = smtp_sink.messages(to=jeanne)
    assert "La réponse de Régie de quartier du Soleil à" in advisor_mail.text

    [delivery] = rows(db, "SELECT status, mode FROM deliveries WHERE event_id = %s"
                          " AND recipient = %s", reminder.id, anne)
    assert delivery == {"status": "sent", "mode": "immediate"}
    [email] = rows(db, "SELECT status, attempts, confirmed_at IS NOT NULL AS confirmed,"
                       " server_reply FROM emails WHERE recipient = %s", anne)
    assert email == {"status": "sent", "attempts": 1, "confirmed": True,
                     "server_reply": "250 2.0.0 Ok: queued"}


def test_a_redelivered_event_has_no_second_effect(factory, notify, db, config, smtp_sink):
    structure = factory.structure()
    reminder = factory.deadline_reminder(structure.data["structure_id"])
    assert notify(structure, reminder, reminder) == [True, True, False]
    Sender(db, config).send_due()
    Sender(db, config).send_due()
    assert sorted(smtp_sink.count_by_message_id().values()) == [1, 1]


def test_an_event_before_its_structure_is_parked_then_routed(factory, notify, db, config,
                                                             smtp_sink):
    structure = factory.structure()
    reminder = factory.deadline_reminder(structure.data["structure_id"])
    notify(reminder)  # the structure is not known yet: only the advisor is told
    Sender(db, config).send_due()
    assert [m.to for m in smtp_sink.messages()] == [factory.address("jeanne.dupont")]
    notify(structure)
    Sender(db, config).send_due()
    assert sorted(m.to for m in smtp_sink.messages()) == sorted(
        [factory.address("jeanne.dupont"), factory.address("anne.martin")])
    assert rows(db, "SELECT * FROM parked_events WHERE event_id = %s", reminder.id) == []


def test_contacts_follow_structure_updates_and_an_old_update_changes_nothing(
        factory, notify, db, config, smtp_sink):
    registered = factory.structure()
    sid = registered.data["structure_id"]
    newer = factory.structure(sid, type_="structure.updated", contacts=[
        {"email": factory.address("paul.roche"), "name": "Paul Roche"}],
        occurred_at=registered.occurred_at + timedelta(minutes=5))
    stale = factory.structure(sid, type_="structure.updated", contacts=[
        {"email": factory.address("ancien"), "name": "Ancien contact"}],
        occurred_at=registered.occurred_at + timedelta(minutes=1))
    notify(registered, newer, stale, factory.deadline_reminder(sid, advisor=False))
    Sender(db, config).send_due()
    assert [m.to for m in smtp_sink.messages()] == [factory.address("paul.roche")]


def test_training_emails_carry_the_invitation_built_offline(factory, notify, db, config,
                                                            smtp_sink):
    lea = {"id": "p7", "name": "Léa Morel", "email": factory.address("lea.morel")}
    reminder = factory.registration("training.reminder", factory.number(), lea, days_before=2,
                                    starts_at="2027-02-04T09:00:00+01:00",
                                    ends_at="2027-02-04T17:00:00+01:00")
    notify(reminder)
    Sender(db, config).send_due()  # formation does not answer: the event's copy is attached
    [mail] = smtp_sink.messages()
    assert mail.subject == "Rappel : formation « Rédiger un mémoire technique » dans 2 jours"
    [invitation] = mail.attachments()
    assert invitation.get_content_type() == "text/calendar"
    assert invitation.get_filename() == "formation.ics"
    ics = invitation.get_content()
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert "METHOD:PUBLISH" in ics and "TZID:Europe/Paris" in ics
    assert "DTSTART;TZID=Europe/Paris:20270204T090000" in ics
    assert "LOCATION:Maison de l'ESS\\, Saint-Étienne" in ics


def test_formations_own_invitation_in_the_event_is_attached_as_it_is(
        factory, notify, db, config, smtp_sink):
    lea = {"id": "p7", "name": "Léa Morel", "email": factory.address("lea.morel")}
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//formation//FR\r\nMETHOD:PUBLISH\r\n"
           "BEGIN:VEVENT\r\nUID:training-session-4-abc@formation\r\nEND:VEVENT\r\n"
           "END:VCALENDAR\r\n")
    notify(factory.registration("training.registration_confirmed", factory.number(), lea,
                                ics=ics, invitation_path="/api/sessions/4/invitation.ics",
                                video_url="https://visio.example/abc", trainer="Claire Martin"))
    Sender(db, config).send_due()
    [mail] = smtp_sink.messages()
    [invitation] = mail.attachments()
    content = invitation.get_content()
    assert (content.decode() if isinstance(content, bytes) else content) == ics
    assert "Lien de connexion : https://visio.example/abc\n" in mail.text


def test_a_cancelled_session_tells_everyone_once(factory, notify, db, config, smtp_sink):
    people = [{"email": factory.address(n), "name": n} for n in ("lea", "marc", "ines")]
    cancelled = factory.event("training.session_cancelled", "session:1", {
        "session_id": factory.number(), "reason": "formatrice malade",
        "module_title": "Chiffrer son offre", "starts_at": "2027-03-02T09:00:00+01:00",
        "people": people + [{"email": people[0]["email"].upper()}]})
    notify(cancelled)
    Sender(db, config).send_due()
    assert sorted(m.to for m in smtp_sink.messages()) == sorted(p["email"] for p in people)
    assert smtp_sink.messages()[0].subject == "Session annulée : Chiffrer son offre"


def test_a_moved_session_tells_everyone_with_the_new_invitation(factory, notify, db, config,
                                                                 smtp_sink):
    people = [{"email": factory.address(n), "name": n, "status": s}
              for n, s in (("lea", "confirmed"), ("marc", "waitlisted"))]
    ics = ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:training-session-1@x\r\n"
           "SEQUENCE:1\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n")
    notify(factory.event("training.session_rescheduled", "session:1", {
        "session_id": factory.number(), "module_title": "Chiffrer son offre",
        "previous_starts_at": "2027-03-02T09:00:00+01:00",
        "previous_ends_at": "2027-03-02T12:00:00+01:00",
        "starts_at": "2027-03-09T14:00:00+01:00", "ends_at": "2027-03-09T17:00:00+01:00",
        "place": "Maison de l'ESS", "reason": "salle indisponible", "people": people,
        "ics": ics}))
    Sender(db, config).send_due()
    mails = smtp_sink.messages()
    assert sorted(m.to for m in mails) == sorted(p["email"] for p in people)
    for mail in mails:
        assert mail.subject == "Session déplacée : Chiffrer son offre"
        assert "Nouvelle date : le mardi 9 mars 2027, de 14 h à 17 h\n" in mail.text
        assert "Au lieu de : le mardi 2 mars 2027, de 9 h à 12 h\n" in mail.text
        [invitation] = mail.attachments()
        content = invitation.get_content()
        assert (content.decode() if isinstance(content, bytes) else content) == ics
    [lea] = smtp_sink.messages(to=people[0]["email"])
    [marc] = smtp_sink.messages(to=people[1]["email"])
    assert "Votre place est conservée." in lea.text
    assert "Vous restez sur la liste d'attente" in marc.text and "place est" not in marc.text


def test_a_recommended_session_reaches_the_structure_s_contacts(factory, notify, db, config,
                                                                smtp_sink):
    structure = factory.structure()
    sid = structure.data["structure_id"]
    notify(structure, factory.event("training.session_recommended", f"structure:{sid}", {
        "structure_id": sid, "session_id": factory.number(), "case_ids": [factory.number()],
        "module_title": "Chiffrer son offre", "starts_at": "2027-03-09T09:00:00+01:00",
        "ends_at": "2027-03-09T12:00:00+01:00", "place": "Maison de l'ESS",
        "registrations_close_at": "2027-03-08T09:00:00+01:00"}))
    Sender(db, config).send_due()
    [mail] = smtp_sink.messages(to=factory.address("anne.martin"))
    assert mail.subject == "Formation recommandée : Chiffrer son offre"
    assert "Inscriptions jusqu'au : lundi 8 mars 2027 à 9 h 00\n" in mail.text
    assert not mail.attachments()  # an invitation comes with a registration, not before


def test_the_worker_process_sender_wakes_on_new_emails(factory, notify, db, config, smtp_sink):
    structure = factory.structure()
    with background_sender(db, config):
        notify(structure, factory.deadline_reminder(structure.data["structure_id"]))
        wait_until(lambda: len(smtp_sink.messages()) == 2, timeout=10)
    with db.transaction() as conn:
        assert store.deliveries.email_status_counts(conn).get("sending", 0) == 0


def test_a_document_to_renew_is_mailed_to_the_structure(factory, notify, db, config,
                                                        smtp_sink):
    """accompagnement's daily expiry warning reaches the structure's contacts by email (and
    their feed); no advisor is involved."""
    structure = factory.structure()
    sid = structure.data["structure_id"]
    soon = (factory.now + timedelta(days=15)).date()
    warning = factory.event("structure.document_expiring", f"structure:{sid}", {
        "structure_id": sid, "document_id": factory.number(), "kind": "assurance",
        "label": "Attestation d'assurance responsabilité civile professionnelle",
        "valid_until": soon.isoformat(), "days_left": 15,
        "message": "Attestation d'assurance responsabilité civile professionnelle : valable "
                   f"jusqu'au {soon:%d/%m/%Y} (encore 15 jours), à renouveler."})
    notify(structure, warning)
    assert Sender(db, config).send_due()["sent"] == 1
    anne = factory.address("anne.martin")
    [mail] = smtp_sink.messages(to=anne)
    assert mail.subject == ("Document à renouveler : Attestation d'assurance responsabilité "
                            "civile professionnelle")
    assert "(fin de validité dans 15 jours)" in mail.text
    assert f"Ouvrir dans la Centrale : {config.portail_url}/documents\n" in mail.text
    [item] = rows(db, "SELECT kind, summary, path FROM notifications WHERE event_id = %s",
                  warning.id)
    assert item["kind"] == "documents" and "à renouveler" in item["summary"]
    assert item["path"] == "/documents"
