"""The sender's protocol: retries with backoff, failures with their reason, two senders never
sending one email twice, and what a crash does at each step."""

import threading
from dataclasses import replace

import pytest

from centrale.testing import wait_until
from notifications import store
from notifications.mailer import ReplyLost, SmtpSession
from notifications.sender import Sender

pytestmark = pytest.mark.integration


def emails_of(db, recipient):
    with db.transaction() as conn:
        return conn.execute(
            "SELECT e.status, e.attempts, e.last_error, e.confirmed_at, d.status AS delivery,"
            " d.reason FROM emails e JOIN deliveries d ON d.email_id = e.id"
            " WHERE e.recipient = %s", (recipient,)).fetchall()


@pytest.fixture
def one_email(factory, notify):
    """One immediate email queued for Anne; returns her address."""
    anne = factory.address("anne")
    structure = factory.structure(contacts=[{"email": anne, "name": "Anne"}])
    notify(structure, factory.deadline_reminder(structure.data["structure_id"], advisor=False))
    return anne


def test_a_temporary_refusal_is_retried_then_sent_once(one_email, db, config, smtp_sink):
    smtp_sink.handler.refuse_data[one_email] = [(451, "4.3.0 Réessayez plus tard")]
    outcomes = Sender(db, config).send_due()
    assert outcomes == {"retry": 1, "sent": 1}
    assert len(smtp_sink.messages(to=one_email)) == 1
    [email] = emails_of(db, one_email)
    assert (email["status"], email["attempts"], email["delivery"]) == ("sent", 2, "sent")
    assert email["last_error"] is None


def test_an_unreachable_server_is_retried_with_backoff_then_failed(one_email, db, config,
                                                                  unused_port):
    config = replace(config, smtp_port=unused_port())  # nobody listens there
    sender = Sender(db, config)
    for attempt in range(1, 4):
        assert sender.send_due() == {("retry" if attempt < 3 else "failed"): 1}
    [email] = emails_of(db, one_email)
    assert (email["status"], email["attempts"], email["delivery"]) == ("failed", 3, "failed")
    assert email["reason"].startswith("serveur SMTP injoignable : ConnectionRefusedError")


def test_the_backoff_holds_a_retry_back(one_email, db, config, smtp_sink):
    from datetime import timedelta

    smtp_sink.handler.refuse_data[one_email] = [(451, "4.3.0 Réessayez plus tard")]
    sender = Sender(db, replace(config, retry_base=timedelta(hours=1)))
    assert sender.send_due() == {"retry": 1}
    assert sender.send_due() == {}  # not due before an hour
    with db.transaction() as conn:
        conn.execute("UPDATE emails SET next_attempt_at = now() WHERE recipient = %s",
                     (one_email,))
    assert sender.send_due() == {"sent": 1}


def test_a_permanent_refusal_fails_at_once_with_the_reason(one_email, db, config, smtp_sink):
    smtp_sink.handler.refuse_data[one_email] = [(554, "5.7.1 Message refusé")]
    assert Sender(db, config).send_due() == {"failed": 1}
    [email] = emails_of(db, one_email)
    assert (email["status"], email["attempts"]) == ("failed", 1)
    assert email["reason"] == "message refusé : 554 5.7.1 Message refusé"


def test_two_senders_never_send_one_email_twice(factory, notify, db, config, smtp_sink):
    structure = factory.structure(contacts=[{"email": factory.address(f"p{i}")}
                                            for i in range(5)])
    sid = structure.data["structure_id"]
    notify(structure, *[factory.deadline_reminder(sid, advisor=False) for _ in range(10)])
    senders = [Sender(db, config) for _ in range(3)]
    threads = [threading.Thread(target=s.send_due) for s in senders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    counts = smtp_sink.count_by_message_id()
    assert len(counts) == 50 and set(counts.values()) == {1}


def test_a_crash_before_the_commit_sends_nothing_and_the_next_sender_sends_once(
        one_email, db, config, smtp_sink, monkeypatch):
    def crash(conn, email_id):
        raise KeyboardInterrupt("le processus s'arrête avant le commit")

    monkeypatch.setattr(store.deliveries, "mark_handed_over", crash)
    with pytest.raises(KeyboardInterrupt):
        Sender(db, config).send_due()
    monkeypatch.undo()
    # The message body reached the server, but not its end: the server discarded it.
    assert smtp_sink.messages(to=one_email) == []
    assert emails_of(db, one_email)[0]["status"] == "pending"
    assert Sender(db, config).send_due() == {"sent": 1}
    assert len(smtp_sink.messages(to=one_email)) == 1


def test_a_crash_after_the_commit_never_sends_twice(one_email, db, config, smtp_sink,
                                                    monkeypatch):
    """The one window where an email can be lost (never duplicated): a death between the
    commit and the end-of-data marker. The row says so: sent, unconfirmed."""
    def die(self):
        self.drop()
        raise KeyboardInterrupt("le processus s'arrête après le commit")

    monkeypatch.setattr(SmtpSession, "finish", die)
    with pytest.raises(KeyboardInterrupt):
        Sender(db, config).send_due()
    monkeypatch.undo()
    assert emails_of(db, one_email)[0]["status"] == "sending"
    sender = Sender(db, replace(config, sending_lease=config.sending_lease * 0))
    assert sender.send_due() == {}  # a handed-over email is never taken again
    assert len(sender.recover()) == 1
    [email] = emails_of(db, one_email)
    assert (email["status"], email["delivery"], email["confirmed_at"]) == ("sent", "sent", None)
    assert email["last_error"].startswith("envoi interrompu après la remise au serveur")
    assert Sender(db, config).send_due() == {}
    assert smtp_sink.messages(to=one_email) == []


def test_a_lost_reply_is_not_a_reason_to_send_again(one_email, db, config, smtp_sink,
                                                   monkeypatch):
    real_finish = SmtpSession.finish

    def reply_lost(self):
        real_finish(self)  # the marker goes out and the server takes the message...
        self.drop()
        raise ReplyLost("connexion coupée")  # ...but its reply never comes back

    monkeypatch.setattr(SmtpSession, "finish", reply_lost)
    assert Sender(db, config).send_due() == {"sent_unconfirmed": 1}
    monkeypatch.undo()
    assert Sender(db, config).send_due() == {}
    wait_until(lambda: len(smtp_sink.messages(to=one_email)) == 1, timeout=5)
    [email] = emails_of(db, one_email)
    assert (email["status"], email["confirmed_at"]) == ("sent", None)
