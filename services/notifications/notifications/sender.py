"""The sender: moves queued emails to the SMTP server, each exactly once in normal operation.

It runs as a thread of the ``notifications worker`` process (and as ``notifications send``),
apart from the bus consumer that queues the emails: a consumer killed mid-batch never
interrupts a send. It sleeps on ``LISTEN notifications_emails`` and wakes for each newly queued
email, or when a retry falls due.

The protocol for one email (``emails`` row):

1. In a transaction, lock the next due ``pending`` row with ``FOR UPDATE SKIP LOCKED`` (two
   senders never take the same row).
2. SMTP ``MAIL``, ``RCPT``, ``DATA`` and the whole message, *without* the end-of-data marker.
   A refusal here (4xx: retry later with backoff; 5xx: failed) is recorded in the same
   transaction; nothing was delivered.
3. Set the row ``sending`` and COMMIT. This is the point of no return: from here on the email
   is never sent again.
4. Write the end-of-data marker and read the reply: 2xx → ``sent`` (confirmed; written in the
   transaction that claims the next email, or at the end of the batch, which saves a commit
   per email — a sender dying before that leaves it ``sending``, settled below); 4xx → back to
   ``pending`` for a later attempt (the server refused the message, so a retry is no duplicate);
   5xx → ``failed``; no reply → ``sent`` unconfirmed (it may well have been delivered).

What a crash does:

- before the commit of step 3: PostgreSQL rolls the transaction back (the row is ``pending``
  again) and the SMTP server, whose connection dropped before the marker, discards the
  message. The next sender sends it: once.
- after the commit: the row stays ``sending`` and is never sent again. After a lease
  (5 minutes, far above the SMTP timeout) a sender marks it ``sent``, unconfirmed, noting the
  interruption. If the crash fell in the microseconds between the commit and the marker
  leaving the socket, that email was not delivered: the one window where an email can be lost
  (never duplicated). Such rows are visible in the delivery log (sent, ``confirmed_at`` empty),
  and every notification is in the person's in-app feed anyway.

A graceful stop (SIGTERM, SIGINT) finishes the email in hand first. Each Message-ID is derived
from (event, recipient) — or (digest, recipient) — so even an email sent twice by an outside
mishap (a restored database backup) is recognisable as the same message.
"""

from __future__ import annotations

import logging
import os
import select
import smtplib
import threading
import time
from collections import Counter
from contextlib import contextmanager
from datetime import datetime, timezone
from typing import Any, Iterator

import psycopg

from centrale.db import Database
from centrale import tracing
from centrale.metrics import EMAILS_FAILED, EMAILS_RETRIED, EMAILS_SENT

from . import store
from .config import NotificationConfig
from .domain.delivery import EmailStatus, Outcome, after_failure, classify_reply, retry_delay
from .invitations import fetch_invitation
from .mailer import EndNotSent, ReplyLost, SmtpRefused, SmtpSession, compose, wire_bytes

log = logging.getLogger(__name__)


def count_email(outcome: str) -> None:
    if outcome in ("sent", "sent_unconfirmed"):
        EMAILS_SENT.inc()
    elif outcome == "failed":
        EMAILS_FAILED.inc()
    elif outcome == "retry":
        EMAILS_RETRIED.inc()

CHANNEL = "notifications_emails"


class Sender:
    def __init__(self, db: Database, config: NotificationConfig,
                 fetch_invitations: bool = True, idle_wait_s: float = 5.0) -> None:
        self.db = db
        self.config = config
        self.fetch_invitations = fetch_invitations
        self.idle_wait_s = idle_wait_s
        self.session = SmtpSession(config.smtp_host, config.smtp_port, config.smtp_timeout_s)
        self._stop = threading.Event()
        self._wake: tuple[int, int] | None = None  # run_forever's pipe: stop() wakes it
        # Accepted by the server, not yet marked sent: (email id, reply, when).
        self._confirmed: list[tuple[int, str, datetime]] = []
        # The email send_one last claimed, and when: its sending becomes a span of its trace.
        self._claimed: tuple[dict[str, Any], int] | None = None

    # -- one email ----------------------------------------------------------------------------

    def send_one(self) -> str | None:
        """Send the next due email; return what happened to it, or None if none was due."""
        # Pipelined: the confirmations, BEGIN and the claim travel together, then the
        # hand-over and COMMIT; the sync after the block is where the commit is acknowledged.
        with self.db.pool.connection() as conn, conn.pipeline() as pipeline:
            confirmed: list = []
            try:
                with conn.transaction():
                    confirmed = self._record_confirmed(conn)
                    started_ns = time.time_ns()
                    email = store.deliveries.claim_due(conn)
                    if email is None:
                        return None
                    self._claimed = (email, started_ns)
                    try:
                        data = wire_bytes(compose(email, self.config.sender,
                                                  self._attachment(email)))
                        self.session.begin(self.config.mail_from, email["recipient"], data)
                    except SmtpRefused as exc:
                        return self._failed(conn, email, str(exc), classify_reply(exc.code),
                                            counted=False)
                    except (OSError, smtplib.SMTPException) as exc:
                        self.session.drop()
                        return self._failed(conn, email, f"serveur SMTP injoignable : {exc!r}",
                                            Outcome.TRANSIENT, counted=False)
                    except Exception as exc:  # a message we cannot build: retried, then failed
                        self.session.drop()
                        log.exception("email could not be prepared",
                                      extra={"email_id": email["id"]})
                        return self._failed(conn, email, f"préparation impossible : {exc!r}",
                                            Outcome.TRANSIENT, counted=False)
                    handed_over = store.deliveries.mark_handed_over(conn, email["id"])
                pipeline.sync()
                if handed_over.fetchone() is None:
                    raise RuntimeError(f"email {email['id']} was no longer pending")
            except BaseException:
                # The commit did not happen: the server must not complete this message, and
                # the confirmations it carried are still to be written.
                self._confirmed[:0] = confirmed
                self.session.drop()
                raise
        # Committed (or, if it was not pending any more, nothing happened and the server
        # dropped the message): this email is never sent again, whatever happens next.
        return self._finish(email)

    def _finish(self, email: dict[str, Any]) -> str:
        try:
            code, reply = self.session.finish()
        except EndNotSent as exc:
            with self.db.transaction() as conn:
                return self._failed(conn, email, f"fin de message non transmise : {exc}",
                                    Outcome.TRANSIENT, counted=True)
        except ReplyLost as exc:
            with self.db.transaction() as conn:
                store.deliveries.mark_sent(conn, email["id"], None, confirmed=False,
                                           note=f"réponse du serveur non reçue : {exc}")
            log.warning("email handed over, reply lost", extra={"email_id": email["id"]})
            return "sent_unconfirmed"
        outcome = classify_reply(code)
        if outcome is Outcome.ACCEPTED:
            # Recorded with the next claim (or at the end of the batch): the email is already
            # safe from a second send, this only turns « sending » into « sent ».
            self._confirmed.append((email["id"], f"{code} {reply}", datetime.now(timezone.utc)))
            log.info("email sent", extra={"email_id": email["id"],
                                          "message_id": email["message_id"]})
            return "sent"
        with self.db.transaction() as conn:
            return self._failed(conn, email, f"message refusé : {code} {reply}", outcome,
                                counted=True)

    def _record_confirmed(self, conn: psycopg.Connection) -> list:
        """Write the confirmations not yet written; return them (to keep if this rolls back)."""
        confirmed, self._confirmed = self._confirmed, []
        for email_id, reply, at in confirmed:
            store.deliveries.mark_sent(conn, email_id, reply, confirmed=True, confirmed_at=at)
        return confirmed

    def flush_confirmed(self) -> None:
        if self._confirmed:
            with self.db.transaction() as conn:
                self._record_confirmed(conn)

    def _failed(self, conn: psycopg.Connection, email: dict[str, Any], error: str,
                outcome: Outcome, counted: bool) -> str:
        attempts = email["attempts"] + 1
        status = after_failure(attempts, self.config.max_attempts, outcome)
        if status is EmailStatus.FAILED:
            store.deliveries.mark_failed(conn, email["id"], error, attempt_counted=counted)
            log.error("email failed", extra={"email_id": email["id"], "error": error})
            return "failed"
        delay = retry_delay(attempts, self.config.retry_base, self.config.retry_cap)
        store.deliveries.mark_retry(conn, email["id"], error, delay, attempt_counted=counted)
        log.warning("email will be retried", extra={"email_id": email["id"], "error": error,
                                                    "attempt": attempts})
        return "retry"

    def _attachment(self, email: dict[str, Any]) -> bytes | None:
        spec = email.get("attachment")
        if not spec or not spec.get("source") or not self.fetch_invitations:
            return None
        return fetch_invitation(self.config, spec["source"])

    # -- batches and the loop -----------------------------------------------------------------

    def recover(self) -> list[int]:
        """Settle the emails a dead sender left ``sending`` (presumed sent, unconfirmed)."""
        with self.db.transaction() as conn:
            ids = store.deliveries.interrupted(conn, self.config.sending_lease)
        if ids:
            log.warning("interrupted emails settled as sent (unconfirmed)",
                        extra={"email_ids": ids})
        return ids

    def send_due(self, limit: int | None = None) -> Counter:
        """Send every due email (or ``limit`` of them); stop early on a connection failure."""
        outcomes: Counter = Counter()
        try:
            while not self._stop.is_set() and (limit is None or sum(outcomes.values()) < limit):
                outcome = self.send_one()
                if outcome is None:
                    break
                outcomes[outcome] += 1
                count_email(outcome)
                if self._claimed is not None:
                    email, started_ns = self._claimed
                    tracing.record_span(email.get("trace_context"), "send email", started_ns,
                                        time.time_ns(), **{"centrale.email_id": email["id"],
                                                           "centrale.outcome": outcome})
                    self._claimed = None
                if outcome in ("retry", "failed") and not self.session.connected:
                    break  # the server is away: let the backoff work
        finally:
            self.session.close()
            self.flush_confirmed()
        return outcomes

    def stop(self) -> None:
        self._stop.set()
        if self._wake is not None:
            try:
                os.write(self._wake[1], b"!")
            except OSError:
                pass

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def _wait_s(self) -> float:
        with self.db.transaction() as conn:
            due = store.deliveries.next_due_at(conn)
        if due is None:
            return self.idle_wait_s
        seconds = (due - datetime.now(timezone.utc)).total_seconds()
        return max(0.05, min(self.idle_wait_s, seconds))

    def run_forever(self) -> None:
        """Send until :meth:`stop`, woken by NOTIFY or when a retry falls due."""
        self._wake = os.pipe()
        try:
            self._run()
        finally:
            wake, self._wake = self._wake, None
            for fd in wake:
                os.close(fd)

    def _run(self) -> None:
        backoff = 0.5
        while not self._stop.is_set():
            try:
                with psycopg.connect(self.db.dsn, autocommit=True) as listener:
                    listener.execute(f"LISTEN {CHANNEL}")
                    backoff = 0.5
                    while not self._stop.is_set():
                        self.recover()
                        outcomes = self.send_due()
                        if self._stop.is_set():
                            break
                        wait = self._wait_s()
                        if outcomes.get("retry") and not self.session.connected:
                            wait = max(wait, 1.0)
                        select.select([listener.fileno(), self._wake[0]], [], [], wait)
                        for _ in listener.notifies(timeout=0):
                            pass
            except Exception as exc:  # database away: wait and start again
                log.warning("sender interrupted", extra={"error": repr(exc)})
                self._stop.wait(backoff)
                backoff = min(backoff * 2, 10.0)


@contextmanager
def background_sender(db: Database, config: NotificationConfig) -> Iterator[Sender]:
    """Run a sender in a thread for the block; on exit, let it finish the email in hand."""
    sender = Sender(db, config)
    thread = threading.Thread(target=sender.run_forever, name="notifications-sender",
                              daemon=True)
    thread.start()
    try:
        yield sender
    finally:
        sender.stop()
        thread.join(timeout=config.smtp_timeout_s + 10)


def describe_due(db: Database, limit: int = 100) -> list[dict[str, Any]]:
    with db.transaction() as conn:
        return store.deliveries.due_emails(conn, limit)
