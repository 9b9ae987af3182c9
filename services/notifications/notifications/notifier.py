"""From one platform event to notifications: the work of the ``notify`` handler.

Everything here runs inside the consumer's transaction, together with the event's inbox row:
the directory and calendar updates, one feed notification per person, and one delivery per
(event, person, email) — with, for an immediate one, the email queued for the sender. Either
all of it commits with the inbox row or none of it does, so a redelivered event, or one whose
consumer died half-way, has its effects exactly once. Nothing here talks to the network.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import timedelta
from typing import Any

import psycopg

from centrale import tracing
from centrale.event_schemas import validate_event_data
from centrale.events import Event

from . import store
from .config import NotificationConfig
from .domain import calendar
from .domain.delivery import event_email_key, message_id
from .domain.kinds import NOTIFIED_EVENT_TYPES, Mode, decide
from .domain.messages import Message, build_message
from .domain.recipients import (Directory, Person, Recipient, Role, references, route,
                                structure_views, target_structure, view_for)
from .rendering import render_notification
from .store.deliveries import EmailDraft
from .tokens import LinkSigner, unsubscribe_url

log = logging.getLogger(__name__)

STRUCTURE_EVENTS = ("structure.registered", "structure.updated")
# Events that change calendars and the directory but tell nobody by themselves (a moved
# deadline is told by veille's tender.deadline_moved).
CALENDAR_ONLY_EVENTS = ("case.deadline_changed",)
HANDLED_EVENT_TYPES = STRUCTURE_EVENTS + CALENDAR_ONLY_EVENTS + NOTIFIED_EVENT_TYPES
# Emails that carry the session's invitation for the person's calendar (a cancelled session's
# invitation says STATUS:CANCELLED and replaces the first one).
INVITATION_EVENTS = ("training.registration_confirmed", "training.promoted", "training.reminder",
                     "training.session_cancelled", "training.session_rescheduled")
DEFAULT_SESSION_LENGTH = timedelta(hours=3)


# A case's stage changes close in time make one email (see store.deliveries.insert_email).
GROUPED_EVENTS = ("case.stage_changed",)


def told_by_its_outcome(event_type: str, data: dict[str, Any]) -> bool:
    """« Gagné » and « Perdu » are told once, by case.outcome_recorded (with the amount and
    the buyer's feedback), not also as a stage change."""
    return event_type == "case.stage_changed" and data.get("to") in ("won", "lost")


class Notifier:
    def __init__(self, config: NotificationConfig) -> None:
        self.config = config
        self.signer = LinkSigner(config.token_secret)

    def __call__(self, conn: psycopg.Connection, event: Event) -> None:
        if event.type not in HANDLED_EVENT_TYPES:
            return
        # A malformed event fails here: retried, then dead-lettered with the reason.
        validate_event_data(event.type, event.data)
        data = event.data
        if event.type in STRUCTURE_EVENTS:
            store.directory.lock_structure(conn, data["structure_id"])
            if store.directory.apply_structure(conn, event, data):
                for envelope, trace in store.directory.take_parked(conn, data["structure_id"]):
                    parked = Event.from_message(envelope)
                    # Its emails belong to the trace it arrived in, not to the structure's.
                    with tracing.continued(trace, f"route parked {parked.type}"):
                        self.route(conn, parked, view_for(parked.type, parked.data,
                                                          data["structure_id"]))
            return
        store.directory.mirror_case(conn, event.type, data)
        if event.type == "consortium.invited":
            store.directory.record_invitation(conn, data, event.occurred_at)
        for change in calendar.changes_for(event.type, data):
            store.calendar.apply(conn, change, event.occurred_at)
        if event.type in CALENDAR_ONLY_EVENTS or told_by_its_outcome(event.type, data):
            return
        for view in structure_views(event.type, data):
            self.route(conn, event, view)

    def route(self, conn: psycopg.Connection, event: Event, data: dict[str, Any]) -> int:
        """Record the notifications and deliveries of ``event``; return how many are new."""
        directory = replace(store.directory.load(conn, references(event.type, data)),
                            admins=tuple(Person(email) for email in self.config.admins))
        routing = route(event.type, data, directory)
        if routing.missing_structures:
            for missing in sorted(routing.missing_structures):
                store.directory.lock_structure(conn, missing)
            if store.directory.known(conn, list(routing.missing_structures)):
                return self.route(conn, event, data)  # it arrived meanwhile
        message = build_message(event.type, data, directory, event.occurred_at)
        structure_id = target_structure(event.type, data, directory)
        if structure_id is None:
            structure_id = data.get("structure_id")
        created = sum(self.tell(conn, event, message, recipient, structure_id)
                      for recipient in routing.recipients)
        for missing in routing.missing_structures:
            store.directory.park(conn, event, missing)
            log.info("event parked until its structure is known",
                     extra={"event_id": str(event.id), "structure_id": missing})
        if not routing.recipients and not routing.missing_structures:
            log.warning("nobody to notify", extra={"event_id": str(event.id),
                                                   "type": event.type})
        return created

    def tell(self, conn: psycopg.Connection, event: Event, message: Message,
             recipient: Recipient, structure_id: int | None) -> bool:
        """One person's feed item and delivery, by their preference; False if already told
        (a parked event routed again, a request sent twice)."""
        notification_id = store.feed.insert(conn, event, message, recipient, structure_id)
        if notification_id is None:
            return False
        preference = store.preferences.mode_for(conn, recipient.email, message.kind.code)
        mode = decide(preference, message.kind, message.urgent)
        email = self.draft(event, message, recipient) if mode is Mode.IMMEDIATE else None
        store.deliveries.record(conn, event, recipient.email, notification_id,
                                message.kind.code, mode, email)
        return True

    def invite(self, conn: psycopg.Connection, event: Event) -> bool:
        """``account.invited``, asked by the portail: the invited person's email, once per
        invitation (``event.id``), sent by the sender like any other and logged with it."""
        message = build_message(event.type, event.data, Directory(), event.occurred_at)
        recipient = Recipient(event.data["email"].lower(), None, Role.INVITEE)
        return self.tell(conn, event, message, recipient, event.data.get("structure_id"))

    def reset(self, conn: psycopg.Connection, event: Event) -> bool:
        """``account.password_reset``, asked by the portail for a forgotten password: the
        link to the account's address, once per reset (``event.id``)."""
        message = build_message(event.type, event.data, Directory(), event.occurred_at)
        recipient = Recipient(event.data["email"].lower(), event.data.get("name"), Role.INVITEE)
        return self.tell(conn, event, message, recipient, None)

    def check_email(self, conn: psycopg.Connection, event: Event) -> bool:
        """``account.email_check``, asked by the portail: the link that confirms an address
        someone typed, mailed to that address once per check (``event.id``)."""
        message = build_message(event.type, event.data, Directory(), event.occurred_at)
        recipient = Recipient(event.data["email"].lower(), event.data.get("name"), Role.VISITOR)
        return self.tell(conn, event, message, recipient, None)

    def relay(self, conn: psycopg.Connection, event: Event) -> int:
        """``directory.message``, asked by the portail once the sender's address is checked:
        to the structure's contacts (their addresses stay here, never shown to the sender);
        parked like any event until a structure not known yet is."""
        return self.route(conn, event, event.data)

    def draft(self, event: Event, message: Message, recipient: Recipient) -> EmailDraft:
        token = self.signer.unsubscribe_token(recipient.email, message.kind.code)
        link = unsubscribe_url(self.config.public_url, token)
        rendered = render_notification(message, recipient, link,
                                       portail_url=self.config.portail_url)
        return EmailDraft(
            purpose="immediate", recipient=recipient.email, recipient_name=recipient.name,
            subject=rendered.subject, body_text=rendered.text, body_html=rendered.html,
            unsubscribe_url=link,
            message_id=message_id(event_email_key(event.id, recipient.email),
                                  self.config.mail_domain),
            attachment=self.invitation(event),
            group_key=f"case-stage:{event.data['case_id']}" if event.type in GROUPED_EVENTS
            else None,
            wait=self.config.grouping_window if event.type in GROUPED_EVENTS else timedelta(0),
        )

    def invitation(self, event: Event) -> dict[str, Any] | None:
        """The session's .ics, by preference formation's own:

        1. the ``ics`` formation puts in the event (its UID: calendars merge the updates);
        2. else what formation serves at ``invitation_path`` (fetched at send time, with a
           service token);
        3. else, when formation does not answer, a copy built here from the event, so an
           email never waits for formation."""
        if event.type not in INVITATION_EVENTS:
            return None
        data = event.data
        spec = {"filename": "formation.ics", "content_type": "text/calendar; method=PUBLISH"}
        if data.get("ics"):
            return {**spec, "content": data["ics"], "source": None}
        entry = next((c for c in calendar.changes_for(event.type, data)
                      if isinstance(c, calendar.Entry)), None)
        if entry is None:
            return None
        if entry.ends_at is None:
            entry = replace(entry, ends_at=entry.starts_at + DEFAULT_SESSION_LENGTH)
        ics = calendar.build_ics(f"Formation : {data['module_title']}", [entry],
                                 event.occurred_at, method="PUBLISH")
        source = data.get("invitation_path") or f"/api/sessions/{data['session_id']}/invitation.ics"
        return {**spec, "content": ics.decode("utf-8"), "source": source}
