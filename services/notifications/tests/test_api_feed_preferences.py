"""The feed API (each person sees their own), preferences, and the delivery log (staff)."""

import pytest

from notifications.sender import Sender

pytestmark = pytest.mark.integration


@pytest.fixture
def client(make_service_app):
    return make_service_app("notifications").test_client()


@pytest.fixture
def two_people(factory, notify):
    """Anne (contact of her structure) and Paul (contact of another) each have notifications."""
    anne, paul = factory.address("anne"), factory.address("paul")
    regie = factory.structure(contacts=[{"email": anne, "name": "Anne"}])
    esat = factory.structure(name="ESAT du Pilat", contacts=[{"email": paul, "name": "Paul"}])
    notify(regie, esat,
           factory.deadline_reminder(regie.data["structure_id"], advisor=False),
           factory.stage_changed(regie.data["structure_id"]),
           factory.deadline_reminder(esat.data["structure_id"], advisor=False))
    return anne, paul, regie.data["structure_id"], esat.data["structure_id"]


def test_a_person_sees_only_their_own_notifications(client, two_people, person_headers):
    anne, paul, regie, _ = two_people
    feed = client.get("/api/feed", headers=person_headers(anne, structure_id=regie))
    assert feed.status_code == 200
    assert {n["recipient"] for n in feed.json} == {anne}
    assert [n["kind"] for n in feed.json] == ["dossiers", "echeances"]  # most recent first
    assert feed.json[1]["title"] == \
        "Échéance dans 7 jours : « Nettoyage des locaux de la mairie de Firminy »"
    assert feed.json[1]["kind_label"] == "Échéances et relances"
    assert feed.json[1]["read"] is False
    assert feed.json[1]["path"].startswith("/dossiers/")  # the portail's page of the case


def test_a_member_cannot_read_someone_elses_feed(client, two_people, person_headers):
    anne, paul, regie, _ = two_people
    headers = person_headers(anne, structure_id=regie)
    for path in ("/api/feed", "/api/feed/unread-count", "/api/preferences"):
        response = client.get(f"{path}?email={paul}", headers=headers)
        assert response.status_code == 403, path
        assert response.mimetype == "application/problem+json"
        assert response.json["detail"] == "Vous ne pouvez consulter que vos propres notifications."
    # Naming oneself is fine, whatever the case.
    assert client.get(f"/api/feed?email={anne.upper()}", headers=headers).status_code == 200


def test_staff_may_read_anyones_feed(client, two_people, person_headers, service_headers):
    anne, paul, _, _ = two_people
    advisor = person_headers("jeanne@centrale.fr", role="conseiller")
    assert {n["recipient"] for n in client.get(f"/api/feed?email={paul}", headers=advisor).json} \
        == {paul}
    assert client.get(f"/api/feed/unread-count?email={paul}", headers=service_headers).json == \
        {"email": paul, "unread": 1}
    # A service token names no one: it must say whose feed it reads.
    missing = client.get("/api/feed", headers=service_headers)
    assert missing.status_code == 422
    assert "email" in missing.json["errors"]["query"]


def test_a_token_without_email_has_no_feed(client, person_headers):
    response = client.get("/api/feed", headers=person_headers(None, structure_id=3))
    assert response.status_code == 403


def test_unread_count_and_mark_as_read(client, two_people, person_headers):
    anne, paul, regie, esat = two_people
    headers = person_headers(anne, structure_id=regie)
    assert client.get("/api/feed/unread-count", headers=headers).json == \
        {"email": anne, "unread": 2}
    first = client.get("/api/feed", headers=headers).json[0]
    read = client.post(f"/api/feed/{first['id']}/read", headers=headers)
    assert read.status_code == 200 and read.json["read"] is True
    assert client.get("/api/feed/unread-count", headers=headers).json["unread"] == 1
    assert [n["id"] for n in client.get("/api/feed?unread=true", headers=headers).json] == \
        [client.get("/api/feed", headers=headers).json[1]["id"]]
    # Paul cannot mark Anne's notification: it does not exist for him.
    pauls = person_headers(paul, structure_id=esat)
    assert client.post(f"/api/feed/{first['id']}/read", headers=pauls).status_code == 404
    assert client.post("/api/feed/read-all", headers=headers).json == {"email": anne, "marked": 1}
    assert client.get("/api/feed/unread-count", headers=headers).json["unread"] == 0


def test_preferences_list_and_change(client, factory, person_headers):
    anne = factory.address("anne")
    headers = person_headers(anne)
    listed = client.get("/api/preferences", headers=headers).json
    assert [p["kind"] for p in listed] == ["appels_offres", "dossiers", "echeances",
                                           "besoins", "besoins_a_valider", "groupements", "sous_traitance", "documents",
                                           "formations", "acces",
                                           "mot_de_passe", "verification", "annuaire"]
    assert all(p["mode"] == "immediate" and p["is_default"] for p in listed)
    changed = client.put("/api/preferences/formations", json={"mode": "digest"}, headers=headers)
    assert changed.status_code == 200
    assert changed.json["mode_label"] == "Dans le résumé quotidien"
    modes = {p["kind"]: (p["mode"], p["is_default"])
             for p in client.get("/api/preferences", headers=headers).json}
    assert modes["formations"] == ("digest", False)
    bad = client.put("/api/preferences/formations", json={"mode": "parfois"}, headers=headers)
    assert bad.status_code == 422 and "mode" in bad.json["errors"]["json"]
    assert client.put("/api/preferences/inconnu", json={"mode": "never"},
                      headers=headers).status_code == 404


def test_only_admins_change_someone_elses_preferences(client, factory, person_headers,
                                                     service_headers):
    anne = factory.address("anne")
    advisor = person_headers("jeanne@centrale.fr", role="conseiller")
    assert client.put(f"/api/preferences/echeances?email={anne}", json={"mode": "never"},
                      headers=advisor).status_code == 403
    assert client.put(f"/api/preferences/echeances?email={anne}", json={"mode": "never"},
                      headers=person_headers("admin@centrale.fr", role="admin")).status_code == 200
    modes = {p["kind"]: p["mode"] for p in client.get(f"/api/preferences?email={anne}",
                                                      headers=service_headers).json}
    assert modes["echeances"] == "never"


def test_the_delivery_log_shows_sent_failed_and_skipped(client, factory, notify, db, config,
                                                        smtp_sink, person_headers,
                                                        service_headers):
    sent, refused, silent = (factory.address(n) for n in ("recoit", "refuse", "silence"))
    smtp_sink.handler.refuse_rcpt[refused] = (550, "5.1.1 Boîte inconnue")
    client.put("/api/preferences/echeances", json={"mode": "never"},
               headers=person_headers(silent))
    structure = factory.structure(contacts=[{"email": a} for a in (sent, refused, silent)])
    reminder = factory.deadline_reminder(structure.data["structure_id"], advisor=False)
    notify(structure, reminder)
    Sender(db, config).send_due()

    log = client.get(f"/api/deliveries?event_id={reminder.id}", headers=service_headers).json
    by_recipient = {d["recipient"]: d for d in log}
    assert by_recipient[sent]["status"] == "sent" and by_recipient[sent]["confirmed"] is True
    assert by_recipient[sent]["message_id"].endswith("@marches-solidaires.localhost>")
    assert by_recipient[refused]["status"] == "failed"
    assert by_recipient[refused]["reason"].startswith("RCPT TO refusé : 550")
    assert by_recipient[silent]["status"] == "skipped_by_preference"
    assert by_recipient[silent]["email_id"] is None
    only_failed = client.get(f"/api/deliveries?status=failed&recipient={refused}",
                             headers=service_headers).json
    assert [d["recipient"] for d in only_failed] == [refused]
    summary = client.get("/api/deliveries/summary", headers=service_headers).json
    assert summary["deliveries"]["sent"] >= 1 and summary["emails"]["failed"] >= 1
    assert client.get("/api/deliveries", headers=person_headers(sent)).status_code == 403
    assert client.get("/api/deliveries?status=perdu", headers=service_headers).status_code == 422
