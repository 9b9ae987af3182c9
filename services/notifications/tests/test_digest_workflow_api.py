"""Preferences honoured (immediately, in the daily digest, never), and the digest workflow:
started from the API, completed by the worker on the real Temporal server, never repeating
an item."""

from datetime import timedelta

import pytest

from centrale.testing import running_worker, wait_until
from notifications import store
from notifications.activities import DigestActivities
from notifications.domain.kinds import Mode
from notifications.sender import Sender
from notifications.workflows import DigestWorkflow

pytestmark = pytest.mark.integration


def set_mode(db, email, kind, mode):
    with db.transaction() as conn:
        store.preferences.set_mode(conn, email, kind, Mode(mode), "tests")


def delivery(db, event, recipient):
    with db.transaction() as conn:
        return conn.execute("SELECT mode, status, reason, email_id FROM deliveries"
                            " WHERE event_id = %s AND recipient = %s",
                            (event.id, recipient)).fetchone()


@pytest.fixture
def digests(settings, config, db, make_service_app, service_headers):
    """``run()`` compiles a digest through the API and the worker, then sends what it queued."""
    client = make_service_app("notifications").test_client()

    def run():
        started = client.post("/api/digests", headers=service_headers)
        assert started.status_code == 202
        wid = started.json["workflow_id"]

        def done():
            status = client.get(f"/api/digests/{wid}", headers=service_headers).json
            return status if status["status"] == "COMPLETED" else None

        result = wait_until(done, timeout=30)["result"]
        Sender(db, config).send_due()
        return result

    with running_worker(settings, [DigestWorkflow], DigestActivities(db, config).all()):
        yield run


def test_immediate_digest_and_never_are_each_honoured(factory, notify, db, config, smtp_sink,
                                                      digests):
    immediate, daily, never = (factory.address(n) for n in ("immediat", "resume", "jamais"))
    set_mode(db, daily, "dossiers", "digest")
    set_mode(db, never, "dossiers", "never")
    structure = factory.structure(contacts=[{"email": a} for a in (immediate, daily, never)])
    change = factory.stage_changed(structure.data["structure_id"])
    notify(structure, change)
    Sender(db, config).send_due()

    assert [m.to for m in smtp_sink.messages()] == [immediate]
    assert delivery(db, change, immediate)["status"] == "sent"
    assert delivery(db, change, daily)["mode"] == "digest"
    assert delivery(db, change, daily)["status"] == "pending"
    assert delivery(db, change, never)["status"] == "skipped_by_preference"
    assert delivery(db, change, never)["reason"] == "préférence : jamais par courriel"

    digests()
    assert sorted(m.to for m in smtp_sink.messages()) == sorted([immediate, daily])
    [summary] = smtp_sink.messages(to=daily)
    assert summary.subject.startswith("Votre résumé du ")
    assert summary.subject.endswith(" : 1 nouvelle notification")
    assert "« Entretien des espaces verts de Roche-la-Molière » : étape « Relecture »" \
        in summary.text
    case_id = change.data["case_id"]
    assert f"\n  {config.portail_url}/dossiers/{case_id}\n" in summary.text  # its page
    assert delivery(db, change, daily)["status"] == "sent"
    # Everyone still finds it in their feed, whatever their preference.
    with db.transaction() as conn:
        for person in (immediate, daily, never):
            assert [n["event_id"] for n in store.feed.list_for(conn, person, False, 10, 0)] \
                == [change.id]


def test_a_digest_never_repeats_an_item(factory, notify, db, config, smtp_sink, digests):
    anne = factory.address("anne")
    set_mode(db, anne, "dossiers", "digest")
    structure = factory.structure(contacts=[{"email": anne, "name": "Anne"}])
    sid = structure.data["structure_id"]
    first = factory.stage_changed(sid, title="Restauration scolaire de Saint-Chamond")
    notify(structure, first)
    result = digests()
    assert result["email_count"] >= 1 and result["item_count"] >= 1

    second = factory.stage_changed(sid, title="Blanchisserie du CHU", to="submission")
    third = factory.stage_changed(sid, title="Collecte des encombrants", to="submission")
    notify(second, third)
    digests()
    digests()  # nothing new for Anne: no third email

    mails = smtp_sink.messages(to=anne)
    assert len(mails) == 2
    assert "Restauration scolaire de Saint-Chamond" in mails[0].text
    assert "Blanchisserie du CHU" not in mails[0].text
    assert mails[1].subject.endswith(" : 2 nouvelles notifications")
    assert "Restauration scolaire de Saint-Chamond" not in mails[1].text
    assert "Blanchisserie du CHU" in mails[1].text and "Collecte des encombrants" in mails[1].text
    assert mails[0].message_id != mails[1].message_id


def test_an_urgent_deadline_does_not_wait_for_the_digest(factory, notify, db, config, smtp_sink):
    anne = factory.address("anne")
    set_mode(db, anne, "echeances", "digest")
    structure = factory.structure(contacts=[{"email": anne}])
    soon = (factory.now + timedelta(hours=20)).isoformat()
    tomorrow = factory.deadline_reminder(structure.data["structure_id"], days_before=1,
                                         deadline=soon, advisor=False)
    far = factory.deadline_reminder(structure.data["structure_id"], days_before=15, advisor=False)
    notify(structure, tomorrow, far)
    Sender(db, config).send_due()
    assert [m.subject for m in smtp_sink.messages(to=anne)] == [
        "Échéance demain : « Nettoyage des locaux de la mairie de Firminy »"]
    assert delivery(db, far, anne)["mode"] == "digest"


def test_switching_to_never_before_the_digest_drops_the_kept_items(factory, notify, db, config,
                                                                  smtp_sink, digests):
    anne = factory.address("anne")
    set_mode(db, anne, "dossiers", "digest")
    structure = factory.structure(contacts=[{"email": anne}])
    change = factory.stage_changed(structure.data["structure_id"])
    notify(structure, change)
    set_mode(db, anne, "dossiers", "never")
    digests()
    assert smtp_sink.messages(to=anne) == []
    assert delivery(db, change, anne)["status"] == "skipped_by_preference"


def test_received_events_are_for_staff_only(make_service_app, make_headers):
    client = make_service_app("notifications").test_client()
    assert client.get("/api/events", headers=make_headers("membre", structure_id=1)
                      ).status_code == 403
    assert client.get("/api/events", headers=make_headers("conseiller")).status_code == 200


def test_a_digest_run_is_idempotent_by_workflow_id(config, db):
    from notifications.digests import compile_digest

    with db.transaction() as conn:
        first = compile_digest(conn, config, "digest-test-idempotent")
    with db.transaction() as conn:
        again = compile_digest(conn, config, "digest-test-idempotent")
    assert again == first
