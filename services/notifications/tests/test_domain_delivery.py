"""The email state machine, retries with backoff, and Message-IDs derived from what is sent."""

from datetime import timedelta

from notifications.domain.delivery import (EmailStatus, Outcome, after_failure, classify_reply,
                                           digest_email_key, event_email_key, may_move,
                                           message_id, retry_delay)


def test_sent_and_failed_are_final():
    for status in EmailStatus:
        assert not may_move(EmailStatus.SENT, status)
        assert not may_move(EmailStatus.FAILED, status)


def test_an_email_is_handed_over_before_it_is_sent():
    assert may_move(EmailStatus.PENDING, EmailStatus.SENDING)
    assert not may_move(EmailStatus.PENDING, EmailStatus.SENT)
    assert may_move(EmailStatus.SENDING, EmailStatus.SENT)


def test_reply_codes():
    assert classify_reply(250) is Outcome.ACCEPTED
    assert classify_reply(451) is Outcome.TRANSIENT
    assert classify_reply(None) is Outcome.TRANSIENT
    assert classify_reply(550) is Outcome.PERMANENT


def test_backoff_doubles_up_to_a_cap():
    base, cap = timedelta(seconds=30), timedelta(minutes=30)
    assert [retry_delay(n, base, cap).total_seconds() for n in range(1, 8)] == [
        30, 60, 120, 240, 480, 960, 1800]


def test_a_permanent_refusal_or_the_last_attempt_fails_the_email():
    assert after_failure(1, 8, Outcome.TRANSIENT) is EmailStatus.PENDING
    assert after_failure(8, 8, Outcome.TRANSIENT) is EmailStatus.FAILED
    assert after_failure(1, 8, Outcome.PERMANENT) is EmailStatus.FAILED


def test_message_ids_are_derived_from_the_event_and_the_recipient():
    key = event_email_key("8d3c0b1e-0000-4000-8000-000000000001", "anne@regie.fr")
    assert message_id(key, "centrale.fr") == message_id(key, "centrale.fr")
    assert message_id(key, "centrale.fr").endswith("@centrale.fr>")
    other = event_email_key("8d3c0b1e-0000-4000-8000-000000000001", "paul@regie.fr")
    assert message_id(key, "centrale.fr") != message_id(other, "centrale.fr")
    assert message_id(digest_email_key("digest-1", "anne@regie.fr"), "c.fr") != \
        message_id(key, "c.fr")
