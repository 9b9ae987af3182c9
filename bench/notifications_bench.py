"""Notifications: emails per second from events to a real SMTP server (aiosmtpd on loopback),
with the duplicates and the losses counted at the server by Message-ID."""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from centrale.db import Database
from centrale.events import Event
from centrale.migrations import migrate
from centrale.settings import load_settings
from centrale.testing import free_port, recreate_database
from notifications.config import config_from
from notifications.notifier import Notifier
from notifications.sender import Sender
from notifications.service import definition

EVENTS = 1000


class Sink:
    def __init__(self) -> None:
        self.message_ids: list[str] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        from email import message_from_bytes

        self.message_ids.append(str(message_from_bytes(envelope.content)["Message-ID"]))
        return "250 OK"


def run(events: int = EVENTS) -> dict:
    from aiosmtpd.controller import Controller

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=free_port())
    smtp.start()
    settings = replace(load_settings("notifications"), db_name="bench_notifications",
                       smtp_port=smtp.port)
    recreate_database(settings)
    migrate(settings, definition().migrations)
    db = Database.from_settings(settings).open()
    notify = Notifier(config_from(settings))
    deadline = (datetime.now(timezone.utc) + timedelta(days=10)).isoformat()
    with db.transaction() as conn:
        notify(conn, Event(type="structure.registered", subject="structure:1", producer="bench",
                           data={"structure_id": 1, "legal_name": "Régie de quartier",
                                 "siret": "42100011800016", "category": "insertion",
                                 "contacts": [{"name": "Nadia Benali",
                                               "email": "direction@regie.example"}]}))
    for start in range(0, events, 200):
        with db.transaction() as conn:
            for n in range(start, min(start + 200, events)):
                notify(conn, Event(
                    type="case.deadline_reminder", subject=f"case:{n}", producer="bench",
                    data={"case_id": n, "structure_id": 1, "title": f"Marché n° {n}",
                          "deadline": deadline, "days_before": 7, "stage": "drafting",
                          "advisor": {"id": "1", "name": "Claire Martin",
                                      "email": "claire@centrale.example"}}))
    with db.transaction() as conn:
        expected = conn.execute("SELECT count(*) AS n FROM emails").fetchone()["n"]
    started = time.perf_counter()
    Sender(db, config_from(settings), fetch_invitations=False).send_due()
    elapsed = time.perf_counter() - started
    time.sleep(0.5)
    smtp.stop()
    db.close()
    received = len(sink.message_ids)
    distinct = len(set(sink.message_ids))
    return {"events": events, "emails": expected, "emails_per_s": round(received / elapsed, 1),
            "duplicates": received - distinct, "lost": expected - distinct}
