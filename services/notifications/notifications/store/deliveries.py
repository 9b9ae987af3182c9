"""Deliveries (one per event, recipient and channel) and the emails that carry them.

The handler records a delivery, and for an immediate one its email, in the transaction of the
event's inbox row. The sender then moves each email through its states (see
``notifications/domain/delivery.py``) with the functions below; a delivery follows its email
to ``sent`` or ``failed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from centrale.events import Event
from centrale.tracing import current_carrier

from ..domain.delivery import DeliveryStatus
from ..domain.kinds import Mode


@dataclass(frozen=True)
class EmailDraft:
    purpose: str  # "immediate" | "digest"
    recipient: str
    recipient_name: str | None
    subject: str
    body_text: str
    body_html: str
    unsubscribe_url: str
    message_id: str
    attachment: dict[str, Any] | None = None
    digest_id: int | None = None
    # Emails of one group (a case's stage changes) merge while the first one waits.
    group_key: str | None = None
    wait: timedelta = timedelta(0)


EMAIL_COLUMNS = ("id, purpose, recipient, recipient_name, subject, body_text, body_html,"
                 " unsubscribe_url, attachment, message_id, digest_id, status, attempts,"
                 " next_attempt_at, last_error, handed_over_at, sent_at, confirmed_at,"
                 " server_reply, created_at, trace_context")


def insert_email(conn: psycopg.Connection, draft: EmailDraft) -> int:
    if draft.group_key is not None:
        waiting = conn.execute(
            "SELECT id FROM emails WHERE recipient = %s AND group_key = %s AND status = 'pending'"
            " AND attempts = 0 AND next_attempt_at > now() ORDER BY id LIMIT 1 FOR UPDATE",
            (draft.recipient, draft.group_key)).fetchone()
        if waiting is not None:
            # The latest news replaces the email still waiting: one email tells where it is.
            conn.execute(
                "UPDATE emails SET subject = %s, body_text = %s, body_html = %s,"
                " updated_at = now() WHERE id = %s",
                (draft.subject, draft.body_text, draft.body_html, waiting["id"]))
            return waiting["id"]
    trace = current_carrier()  # the handler's span: the email's sending continues its trace
    return conn.execute(
        "INSERT INTO emails (purpose, recipient, recipient_name, subject, body_text, body_html,"
        " unsubscribe_url, attachment, message_id, digest_id, trace_context, group_key,"
        " next_attempt_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s,"
        " now() + %s) RETURNING id",
        (draft.purpose, draft.recipient, draft.recipient_name, draft.subject, draft.body_text,
         draft.body_html, draft.unsubscribe_url,
         Jsonb(draft.attachment) if draft.attachment else None, draft.message_id,
         draft.digest_id, Jsonb(trace) if trace else None, draft.group_key, draft.wait),
    ).fetchone()["id"]


def record(conn: psycopg.Connection, event: Event, recipient: str, notification_id: int,
           kind: str, mode: Mode, email: EmailDraft | None) -> int | None:
    """Record the delivery intent of (event, recipient, email), once; None if already there.

    ``email`` is given for an immediate delivery: it is queued for the sender. A digest delivery
    waits for the next digest; a « never » one is recorded as skipped by preference."""
    status = DeliveryStatus.SKIPPED if mode is Mode.NEVER else DeliveryStatus.PENDING
    row = conn.execute(
        "INSERT INTO deliveries (event_id, event_type, recipient, channel, notification_id, kind,"
        " mode, status, reason) VALUES (%s, %s, %s, 'email', %s, %s, %s, %s, %s)"
        " ON CONFLICT (event_id, recipient, channel) DO NOTHING RETURNING id",
        (event.id, event.type, recipient, notification_id, kind, mode.value, status.value,
         "préférence : jamais par courriel" if mode is Mode.NEVER else None),
    ).fetchone()
    if row is None:
        return None
    if mode is Mode.IMMEDIATE and email is not None:
        email_id = insert_email(conn, email)
        conn.execute("UPDATE deliveries SET email_id = %s WHERE id = %s", (email_id, row["id"]))
    return row["id"]


# -- the sender's side -------------------------------------------------------------------------

def claim_due(conn: psycopg.Connection) -> dict[str, Any] | None:
    """Lock the next due email for this transaction (others skip it), or None."""
    return conn.execute(
        f"SELECT {EMAIL_COLUMNS} FROM emails WHERE status = 'pending' AND next_attempt_at <= now()"
        " ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED").fetchone()


def due_emails(conn: psycopg.Connection, limit: int = 100) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT id, purpose, recipient, subject, attempts, next_attempt_at FROM emails"
        " WHERE status = 'pending' ORDER BY next_attempt_at, id LIMIT %s", (limit,)).fetchall()


def next_due_at(conn: psycopg.Connection) -> datetime | None:
    row = conn.execute("SELECT min(next_attempt_at) AS at FROM emails WHERE status = 'pending'"
                       ).fetchone()
    return row["at"]


def mark_handed_over(conn: psycopg.Connection, email_id: int) -> psycopg.Cursor:
    """pending → sending, committed just before the end-of-data marker is written. The cursor
    yields the email's id if it was still pending (read it once the statement has run: in a
    pipeline, after the sync)."""
    return conn.execute(
        "UPDATE emails SET status = 'sending', attempts = attempts + 1, handed_over_at = now(),"
        " updated_at = now() WHERE id = %s AND status = 'pending' RETURNING id", (email_id,))


def mark_sent(conn: psycopg.Connection, email_id: int, reply: str | None, confirmed: bool,
              note: str | None = None, confirmed_at: datetime | None = None) -> None:
    """sending → sent; its deliveries are sent. ``confirmed_at``: when the server accepted
    it, if that was before this transaction."""
    conn.execute(
        "UPDATE emails SET status = 'sent', sent_at = COALESCE(handed_over_at, now()),"
        " confirmed_at = CASE WHEN %s THEN COALESCE(%s, now()) END, server_reply = %s,"
        " last_error = %s, updated_at = now() WHERE id = %s AND status = 'sending'",
        (confirmed, confirmed_at, reply, note, email_id))
    _settle_deliveries(conn, email_id, DeliveryStatus.SENT, None)


def mark_retry(conn: psycopg.Connection, email_id: int, error: str, delay: timedelta,
               attempt_counted: bool) -> None:
    """Back to pending, to be tried again after ``delay``."""
    conn.execute(
        "UPDATE emails SET status = 'pending', attempts = attempts + %s, last_error = %s,"
        " next_attempt_at = now() + %s, updated_at = now() WHERE id = %s"
        " AND status IN ('pending', 'sending')",
        (0 if attempt_counted else 1, error[:1000], delay, email_id))


def mark_failed(conn: psycopg.Connection, email_id: int, error: str,
                attempt_counted: bool) -> None:
    """Given up: the email and its deliveries are failed, with the reason."""
    conn.execute(
        "UPDATE emails SET status = 'failed', attempts = attempts + %s, last_error = %s,"
        " updated_at = now() WHERE id = %s AND status IN ('pending', 'sending')",
        (0 if attempt_counted else 1, error[:1000], email_id))
    _settle_deliveries(conn, email_id, DeliveryStatus.FAILED, error[:1000])


def _settle_deliveries(conn: psycopg.Connection, email_id: int, status: DeliveryStatus,
                       reason: str | None) -> None:
    conn.execute("UPDATE deliveries SET status = %s, reason = %s, updated_at = now()"
                 " WHERE email_id = %s AND status = 'pending'", (status.value, reason, email_id))


def interrupted(conn: psycopg.Connection, lease: timedelta) -> list[int]:
    """Emails left ``sending`` longer than ``lease`` by a sender that died after handing them
    over: presumed sent (never sent again), marked unconfirmed."""
    rows = conn.execute(
        "SELECT id FROM emails WHERE status = 'sending' AND handed_over_at < now() - %s"
        " ORDER BY id FOR UPDATE SKIP LOCKED", (lease,)).fetchall()
    for row in rows:
        mark_sent(conn, row["id"], None, confirmed=False,
                  note="envoi interrompu après la remise au serveur : réponse non reçue, "
                       "non renvoyé (présumé remis)")
    return [row["id"] for row in rows]


# -- the delivery log --------------------------------------------------------------------------

def log(conn: psycopg.Connection, filters: dict[str, Any], limit: int,
        offset: int) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT d.id, d.event_id, d.event_type, d.recipient, d.channel, d.kind, d.mode, d.status,"
        " d.reason, d.created_at, d.updated_at, e.id AS email_id, e.purpose, e.subject,"
        " e.message_id, e.status AS email_status, e.attempts, e.last_error, e.sent_at,"
        " e.confirmed_at, e.server_reply, e.digest_id"
        " FROM deliveries d LEFT JOIN emails e ON e.id = d.email_id"
        " WHERE (%(status)s::text IS NULL OR d.status = %(status)s)"
        " AND (%(recipient)s::text IS NULL OR d.recipient = %(recipient)s)"
        " AND (%(event_type)s::text IS NULL OR d.event_type = %(event_type)s)"
        " AND (%(event_id)s::uuid IS NULL OR d.event_id = %(event_id)s)"
        " ORDER BY d.updated_at DESC, d.id DESC LIMIT %(limit)s OFFSET %(offset)s",
        {**filters, "limit": limit, "offset": offset},
    ).fetchall()


def status_counts(conn: psycopg.Connection) -> dict[str, int]:
    rows = conn.execute("SELECT status, count(*) AS n FROM deliveries GROUP BY status")
    return {row["status"]: row["n"] for row in rows}


def email_status_counts(conn: psycopg.Connection) -> dict[str, int]:
    rows = conn.execute("SELECT status, count(*) AS n FROM emails GROUP BY status")
    return {row["status"]: row["n"] for row in rows}
