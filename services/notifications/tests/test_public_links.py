"""Signed links that work without logging in: unsubscribing from an email, and a structure's
calendar. A forged signature is refused."""

from datetime import datetime, timezone
import re
from urllib.parse import urlsplit

import pytest
from icalendar import Calendar
from itsdangerous import URLSafeSerializer

from notifications import store
from notifications.domain.kinds import Mode
from notifications.sender import Sender
from notifications.tokens import CALENDAR_SALT, UNSUBSCRIBE_SALT

pytestmark = pytest.mark.integration


@pytest.fixture
def client(make_service_app):
    return make_service_app("notifications").test_client()


def mode_of(db, email, kind):
    with db.transaction() as conn:
        return store.preferences.mode_for(conn, email, kind)


def unsubscribe_path(mail) -> str:
    url = re.search(r"Ne plus recevoir ces courriels : (\S+)", mail.text).group(1)
    assert mail.message["List-Unsubscribe"] == f"<{url}>"
    return urlsplit(url).path


def test_the_unsubscribe_link_of_an_email_works_without_logging_in(
        client, factory, notify, db, config, smtp_sink):
    structure = factory.structure()
    notify(structure, factory.deadline_reminder(structure.data["structure_id"], advisor=False))
    Sender(db, config).send_due()
    [mail] = smtp_sink.messages()
    path = unsubscribe_path(mail)
    assert path.startswith("/desabonnement/")

    page = client.get(path)  # no Authorization header
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert '<html lang="fr">' in html and "Confirmer le désabonnement" in html
    assert "« <strong>Échéances et relances</strong> »" in html
    assert mode_of(db, mail.to, "echeances") is None  # showing the page changes nothing

    done = client.post(path)
    assert done.status_code == 200
    assert "ne recevra plus de courriels" in done.get_data(as_text=True)
    assert mode_of(db, mail.to, "echeances").value == "never"

    # From now on, this kind is not emailed to that person any more.
    notify(factory.deadline_reminder(structure.data["structure_id"], advisor=False))
    Sender(db, config).send_due()
    assert len(smtp_sink.messages()) == 1


def test_one_click_unsubscribe_from_a_mail_client(client, factory, token_secret, db):
    anne = factory.address("anne")
    token = URLSafeSerializer(token_secret, salt=UNSUBSCRIBE_SALT).dumps(
        {"e": anne, "k": "formations"})
    response = client.post(f"/desabonnement/{token}", data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert mode_of(db, anne, "formations").value == "never"


def test_a_forged_unsubscribe_link_is_refused(client, factory, token_secret, db):
    anne = factory.address("anne")
    forged = URLSafeSerializer("une-autre-clé-secrète-de-32-caractères",
                               salt=UNSUBSCRIBE_SALT).dumps({"e": anne, "k": "echeances"})
    genuine = URLSafeSerializer(token_secret, salt=UNSUBSCRIBE_SALT).dumps(
        {"e": anne, "k": "echeances"})
    payload = URLSafeSerializer(token_secret, salt=UNSUBSCRIBE_SALT).dumps(
        {"e": factory.address("paul"), "k": "echeances"}).rpartition(".")[0]
    tampered = payload + "." + genuine.rpartition(".")[2]
    unknown_kind = URLSafeSerializer(token_secret, salt=UNSUBSCRIBE_SALT).dumps(
        {"e": anne, "k": "tout"})
    for token in (forged, tampered, genuine[:-3], unknown_kind):
        for method in (client.get, client.post):
            response = method(f"/desabonnement/{token}")
            assert response.status_code == 400
            assert "Ce lien n'est pas valide" in response.get_data(as_text=True)
    assert mode_of(db, anne, "echeances") is None
    assert mode_of(db, factory.address("paul"), "echeances") is None


def test_the_digest_link_stops_the_digest(client, factory, token_secret, db):
    anne = factory.address("anne")
    with db.transaction() as conn:
        store.preferences.set_mode(conn, anne, "dossiers", Mode.DIGEST, "t")
        store.preferences.set_mode(conn, anne, "formations", Mode.DIGEST, "t")
    token = URLSafeSerializer(token_secret, salt=UNSUBSCRIBE_SALT).dumps({"e": anne, "k": "resume"})
    page = client.post(f"/desabonnement/{token}").get_data(as_text=True)
    assert "ne recevra plus le résumé quotidien (Suivi de vos dossiers de réponse, Formations)" \
        in page
    assert mode_of(db, anne, "dossiers").value == "never"
    assert mode_of(db, anne, "echeances") is None  # immediate kinds are untouched


def test_a_structure_calendar_lists_its_deadlines_and_trainings(
        client, factory, notify, person_headers):
    structure = factory.structure(name="SCOP Les Jardins du Gier")
    sid = structure.data["structure_id"]
    case_id = factory.number()
    lea = {"email": factory.address("lea"), "name": "Léa Morel"}
    session_id = factory.number()
    confirmed = factory.registration("training.registration_confirmed", sid, lea,
                                     session_id=session_id)
    notify(structure,
           factory.deadline_reminder(sid, case_id=case_id, days_before=15,
                                     deadline="2027-01-20T12:00:00+01:00"),
           # the deadline moved: the same entry moves
           factory.deadline_reminder(sid, case_id=case_id, days_before=7,
                                     deadline="2027-01-27T12:00:00+01:00"),
           confirmed,
           factory.deadline_reminder(factory.number(), advisor=False))  # another structure

    link = client.get(f"/api/structures/{sid}/calendar",
                      headers=person_headers(factory.address("anne.martin"), structure_id=sid))
    assert link.status_code == 200
    path = urlsplit(link.json["url"]).path
    assert path.startswith("/calendrier/") and path.endswith(".ics")

    feed = client.get(path)  # no token: the URL is the secret
    assert feed.status_code == 200 and feed.mimetype == "text/calendar"
    text = feed.get_data(as_text=True)
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris" in text
    assert "X-WR-CALNAME:Centrale — SCOP Les Jardins du Gier" in text
    events = {str(e["UID"]): e for e in Calendar.from_ical(text).walk("VEVENT")}
    assert len(events) == 2
    assert sum(uid.startswith("inscription-") for uid in events) == 1
    deadline = events[f"dossier-{case_id}-echeance@centrale-marches-solidaires"]
    assert "DTSTART;TZID=Europe/Paris:20270127T120000" in text
    assert int(deadline["SEQUENCE"]) == 1
    assert str(deadline["SUMMARY"]) == "Date limite : Nettoyage des locaux de la mairie de Firminy"

    def training_entry():
        return [e for e in Calendar.from_ical(client.get(path).get_data(as_text=True))
                .walk("VEVENT") if str(e["UID"]).startswith("inscription-")][0]

    # The session moves: the person's entry moves with it (same UID, a higher SEQUENCE).
    first = training_entry()
    notify(factory.event("training.session_rescheduled", f"session:{session_id}", {
        "session_id": session_id, "module_title": "Rédiger un mémoire technique",
        "previous_starts_at": "2027-02-04T09:00:00+01:00",
        "starts_at": "2027-02-11T14:00:00+01:00", "ends_at": "2027-02-11T17:30:00+01:00",
        "place": "Maison de l'ESS, Saint-Étienne",
        "people": [{**lea, "structure_id": sid, "status": "confirmed",
                    "registration_id": confirmed.data["registration_id"]}]}))
    moved = training_entry()
    assert moved["UID"] == first["UID"]
    assert moved.decoded("DTSTART") == datetime(2027, 2, 11, 13, tzinfo=timezone.utc)
    assert moved.decoded("DTEND") == datetime(2027, 2, 11, 16, 30, tzinfo=timezone.utc)
    assert int(moved["SEQUENCE"]) > int(first["SEQUENCE"])
    assert str(moved["STATUS"]) == "CONFIRMED"

    notify(factory.event("training.session_cancelled", f"session:{session_id}",
                         {"session_id": session_id, "people": [lea]}))
    assert str(training_entry()["STATUS"]) == "CANCELLED"


def test_a_forged_calendar_url_is_refused(client, factory, token_secret, person_headers):
    sid = factory.number()
    forged = URLSafeSerializer("une-autre-clé-secrète-de-32-caractères",
                               salt=CALENDAR_SALT).dumps({"s": sid})
    unsubscribe_token = URLSafeSerializer(token_secret, salt=UNSUBSCRIBE_SALT).dumps(
        {"e": "x@y.fr", "k": "echeances"})
    for token in (forged, unsubscribe_token, "abc"):
        response = client.get(f"/calendrier/{token}.ics")
        assert response.status_code == 404
        assert response.mimetype == "application/problem+json"
    genuine = URLSafeSerializer(token_secret, salt=CALENDAR_SALT).dumps({"s": sid})
    assert client.get(f"/calendrier/{genuine}.ics").status_code == 200


def test_a_member_gets_only_their_own_structures_calendar_url(client, factory, person_headers):
    sid = factory.number()
    member = person_headers(factory.address("anne"), structure_id=sid)
    assert client.get(f"/api/structures/{sid + 1}/calendar", headers=member).status_code == 404
    assert client.get(f"/api/structures/{sid}/calendar", headers=member).status_code == 200
    assert client.get(f"/api/structures/{sid}/calendar").status_code == 401
