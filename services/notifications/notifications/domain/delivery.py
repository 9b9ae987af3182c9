"""The life of an email and of a delivery, retries with backoff, and recognisable Message-IDs.

A *delivery* is the decision for one (event, recipient, channel): recorded once, in the same
transaction as the event's inbox row, then

    pending ──► sent | failed          (when its email is sent or given up)
    skipped_by_preference              (the person chose « never » for this kind)

An *email* is what the SMTP server receives: one per immediate delivery, or one digest holding
several deliveries. Its own machine is finer, because SMTP has no transactions:

    pending ──► sending ──► sent
       ▲  │        │  └───► failed (permanent refusal)
       │  │        └──────► pending (temporary refusal of the message: retried later)
       │  └──► failed (too many attempts, or a permanent refusal before the message)
       └──── pending with a later ``next_attempt_at`` (temporary failure before the message)

``sending`` is committed *before* the SMTP end-of-data marker (the final « . ») is written: an
SMTP server discards a message whose connection drops before that marker, so a sender that dies
before the commit leaves a ``pending`` row and nothing delivered, and a sender that dies after it
leaves a ``sending`` row that is never sent again. See ``notifications/sender.py``.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from enum import StrEnum


class EmailStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped_by_preference"


EMAIL_TRANSITIONS: dict[EmailStatus, frozenset[EmailStatus]] = {
    EmailStatus.PENDING: frozenset({EmailStatus.PENDING, EmailStatus.SENDING, EmailStatus.FAILED}),
    EmailStatus.SENDING: frozenset({EmailStatus.SENT, EmailStatus.PENDING, EmailStatus.FAILED}),
    EmailStatus.SENT: frozenset(),
    EmailStatus.FAILED: frozenset(),
}


def may_move(current: EmailStatus, target: EmailStatus) -> bool:
    return target in EMAIL_TRANSITIONS[current]


class Outcome(StrEnum):
    ACCEPTED = "accepted"
    TRANSIENT = "transient"  # 4xx, connection trouble: try again later
    PERMANENT = "permanent"  # 5xx: the server will never take it


def classify_reply(code: int | None) -> Outcome:
    """An SMTP reply code (None: no reply at all, e.g. the connection failed)."""
    if code is not None and 200 <= code < 400:
        return Outcome.ACCEPTED
    if code is not None and 500 <= code < 600:
        return Outcome.PERMANENT
    return Outcome.TRANSIENT


def retry_delay(attempts: int, base: timedelta, cap: timedelta) -> timedelta:
    """Exponential backoff: base, 2×base, 4×base… after the 1st, 2nd, 3rd failed attempt."""
    if attempts < 1:
        return timedelta(0)
    return min(base * (2 ** (attempts - 1)), cap)


def after_failure(attempts: int, max_attempts: int, outcome: Outcome) -> EmailStatus:
    """Where an email goes after a failed attempt (``attempts`` counts this one)."""
    if outcome is Outcome.PERMANENT or attempts >= max_attempts:
        return EmailStatus.FAILED
    return EmailStatus.PENDING


_NAMESPACE = uuid.UUID("6f1d3c52-5e0a-4f0e-9a57-0c3e6b2d8a41")


def message_id(key: str, domain: str) -> str:
    """A Message-ID derived from what the email *is* (never random): a re-send of the same
    email carries the same Message-ID, which mail clients and archives recognise."""
    return f"<{uuid.uuid5(_NAMESPACE, key)}@{domain}>"


def event_email_key(event_id: uuid.UUID | str, recipient: str) -> str:
    return f"event/{event_id}/{recipient}/email"


def digest_email_key(digest_ref: str, recipient: str) -> str:
    return f"digest/{digest_ref}/{recipient}"
