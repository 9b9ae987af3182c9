"""Fixtures of notifications' tests: an SMTP sink (aiosmtpd on a free port), events with French
data, and tokens carrying an email claim.

Every test draws its own structure and case numbers and its own addresses, so tests sharing the
session's database never read each other's notifications.
"""

from __future__ import annotations

import email
import itertools
import random
import socket
import threading
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.policy import default as default_policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from centrale.auth import issue_token
from centrale.consumer import Handler, apply_once
from centrale.db import Database
from centrale.events import Event
from centrale.testing import bearer, prepared_settings
from centrale.testing.clock import paris_at
from notifications.config import config_from
from notifications.notifier import HANDLED_EVENT_TYPES, Notifier

PARIS_OFFSET = "+01:00"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def message_id(self) -> str:
        return self.message["Message-ID"].strip()  # long ids are folded onto a second line

    @property
    def to(self) -> str:
        return self.rcpt_tos[0]

    @property
    def subject(self) -> str:
        return self.message["Subject"]

    @property
    def text(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content().replace("\r\n", "\n")

    @property
    def html(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content().replace("\r\n", "\n")

    def attachments(self) -> list[EmailMessage]:
        return list(self.message.iter_attachments())


@dataclass
class SinkHandler:
    """Keeps every message; refuses on demand: ``refuse_rcpt[address] = (code, text)`` or
    ``refuse_data[address] = [(code, text), …]`` (one refusal per attempt, then accepts)."""

    received: list[Received] = field(default_factory=list)
    refuse_rcpt: dict[str, tuple[int, str]] = field(default_factory=dict)
    refuse_data: dict[str, list[tuple[int, str]]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse_rcpt:
            code, text = self.refuse_rcpt[address]
            return f"{code} {text}"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        refusals = self.refuse_data.get(envelope.rcpt_tos[0])
        if refusals:
            code, text = refusals.pop(0)
            return f"{code} {text}"
        message = email.message_from_bytes(envelope.content, policy=default_policy)
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))
        return "250 2.0.0 Ok: queued"


class SmtpSink:
    def __init__(self) -> None:
        self.handler = SinkHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> "SmtpSink":
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def messages(self, to: str | None = None) -> list[Received]:
        with self.handler.lock:
            found = list(self.handler.received)
        return [m for m in found if to is None or m.to == to]

    def count_by_message_id(self) -> Counter:
        return Counter(m.message_id for m in self.messages())


@pytest.fixture
def unused_port():
    """A port nobody listens on (yet)."""
    return free_port


@pytest.fixture
def smtp_sink():
    sink = SmtpSink().start()
    yield sink
    sink.stop()


@pytest.fixture
def settings(smtp_sink):
    """This session's notifications settings, mailing to this test's sink, and pointing at a
    formation that does not answer (the invitation is then built from the event)."""
    base = prepared_settings("notifications")
    urls = {**base.service_urls, "formation": f"http://127.0.0.1:{free_port()}"}
    return replace(base, smtp_port=smtp_sink.port, service_urls=urls)


@pytest.fixture
def config(settings):
    # No grouping wait unless a test is about it (test_grouped_emails.py).
    return replace(config_from(settings), retry_base=timedelta(0), max_attempts=3,
                   grouping_window=timedelta(0))


@pytest.fixture
def db(settings):
    """The session's notifications database. A test leaves nothing queued behind it: what it
    did not send is abandoned, so no later test's sender mails it to that test's sink."""
    database = Database.from_settings(settings).open()
    yield database
    with database.transaction() as conn:
        conn.execute("UPDATE emails SET status = 'failed', last_error = 'abandonné en fin de test'"
                     " WHERE status = 'pending'")
        conn.execute("UPDATE deliveries SET status = 'failed', reason = 'abandonné en fin de test'"
                     " WHERE status = 'pending'")
    database.close()


@pytest.fixture
def notify(config, db):
    """Apply events with the ``notify`` handler, as the consumer does (inbox included)."""
    handler = Handler("notify", HANDLED_EVENT_TYPES, Notifier(config))

    def apply(*events: Event) -> list[bool]:
        return [apply_once(db, handler, event) for event in events]

    return apply


@pytest.fixture
def person_headers(token_secret):
    """Headers of a person: ``person_headers("anne@…", "membre", structure_id=3)``."""

    def make(address: str | None, role: str = "membre", structure_id: int | None = None):
        if role == "membre" and structure_id is None:
            structure_id = 1
        return bearer(issue_token(token_secret, "tests", f"user:{address or 'anonyme'}", role,
                                  structure_id=structure_id, email=address))

    return make


_numbers = itertools.count(random.randint(10_000, 900_000) * 10)


class Factory:
    """Events with French data; numbers and addresses unique to the test. Deadlines and
    sessions are weeks ahead of the real clock unless a test says otherwise: within 48 hours
    of an event they are urgent, which sends an email the digest should have kept."""

    def __init__(self) -> None:
        self.tag = uuid.uuid4().hex[:8]
        self.now = datetime.now(timezone.utc).replace(microsecond=0)

    def number(self) -> int:
        return next(_numbers)

    def address(self, name: str) -> str:
        return f"{name}.{self.tag}@exemple.fr"

    def event(self, type_: str, subject: str, data: dict[str, Any], **kwargs) -> Event:
        event = Event(type=type_, subject=subject, producer="tests", data=data, **kwargs)
        event.to_message()  # the producer's validation: the contract holds
        return event

    def structure(self, structure_id: int | None = None, name: str = "Régie de quartier du Soleil",
                  contacts: list[dict[str, Any]] | None = None,
                  type_: str = "structure.registered", **kwargs) -> Event:
        structure_id = structure_id or self.number()
        if contacts is None:
            contacts = [{"email": self.address("anne.martin"), "name": "Anne Martin",
                         "role": "direction"}]
        return self.event(type_, f"structure:{structure_id}", {
            "structure_id": structure_id, "legal_name": name, "siret": "12345678900012",
            "category": "ACI", "departement": "42", "contacts": contacts}, **kwargs)

    def advisor(self) -> dict[str, str]:
        return {"id": "c-12", "name": "Jeanne Dupont", "email": self.address("jeanne.dupont")}

    def deadline_reminder(self, structure_id: int, case_id: int | None = None,
                          days_before: int = 7, deadline: str | None = None,
                          title: str = "Nettoyage des locaux de la mairie de Firminy",
                          stage: str = "drafting", advisor: dict | None | bool = True,
                          **kwargs) -> Event:
        case_id = case_id or self.number()
        data = {"case_id": case_id, "structure_id": structure_id, "title": title,
                "deadline": deadline or paris_at(45, 12).isoformat(),
                "days_before": days_before, "stage": stage}
        if advisor:
            data["advisor"] = self.advisor() if advisor is True else advisor
        return self.event("case.deadline_reminder", f"case:{case_id}", data, **kwargs)

    def stage_changed(self, structure_id: int, case_id: int | None = None,
                      to: str = "review", title: str = "Entretien des espaces verts de Roche-la-Molière",
                      **kwargs) -> Event:
        case_id = case_id or self.number()
        return self.event("case.stage_changed", f"case:{case_id}", {
            "case_id": case_id, "structure_id": structure_id, "title": title,
            "from": "drafting", "to": to, "by": "user:jeanne"}, **kwargs)

    def registration(self, type_: str, structure_id: int, person: dict[str, str],
                     session_id: int | None = None, **extra) -> Event:
        session_id = session_id or self.number()
        registration_id = self.number()
        starts_at = paris_at(60, 9)
        data = {"session_id": session_id, "registration_id": registration_id,
                "structure_id": structure_id, "person": person,
                "module_title": "Rédiger un mémoire technique",
                "starts_at": starts_at.isoformat(),
                "ends_at": starts_at.replace(hour=17).isoformat(),
                "place": "Maison de l'ESS, Saint-Étienne", **extra}
        return self.event(type_, f"session:{session_id}", data)


@pytest.fixture
def factory() -> Factory:
    return Factory()
