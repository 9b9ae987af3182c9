"""Notifications: emails per second from events to a real SMTP server (aiosmtpd on loopback),
with the duplicates and the losses counted at the server by Message-ID."""

from __future__ import annotations

import multiprocessing
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from centrale.db import Database
from centrale.events import Event
from centrale.migrations import migrate
from centrale.settings import load_settings
from centrale.testing import free_port, recreate_database, wait_for_port
from notifications.config import config_from
from notifications.notifier import Notifier
from notifications.sender import Sender
from notifications.service import definition

EVENTS = 1000
# Sender processes working side by side (`notifications worker` runs one; more share the
# queue: SKIP LOCKED keeps each email to one of them).
SENDERS = 4


def message_ids(spool: Path) -> list[str]:
    from email import message_from_bytes

    return [str(message_from_bytes(path.read_bytes())["Message-ID"]).strip()
            for path in spool.iterdir()]


def _send_all(settings, ready) -> None:
    """One sender process: connect, wait for the others, send until nothing is due."""
    db = Database.from_settings(settings).open()
    sender = Sender(db, config_from(settings), fetch_invitations=False)
    ready.wait()
    sender.send_due()
    db.close()


def run(events: int = EVENTS) -> dict:
    # The SMTP server runs in its own process (a real server, spooling each message to a
    # file), so that it does not share this process's interpreter with the senders it measures.
    maildir = Path(tempfile.mkdtemp(prefix="bench-mail-"))
    port = free_port()
    sink = subprocess.Popen([sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
                             "-c", "bench.smtp_spool.RawSpool", str(maildir / "box")],
                            cwd=Path(__file__).resolve().parents[1])
    wait_for_port(port)
    settings = replace(load_settings("notifications"), db_name="bench_notifications",
                       smtp_port=port)
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
    db.close()
    # Each sender in its own process, as when several `notifications worker` run side by side:
    # in one process their Python (composing, SMTP, psycopg) would share one interpreter lock.
    context = multiprocessing.get_context("fork")
    ready = context.Barrier(SENDERS + 1)
    workers = [context.Process(target=_send_all, args=(settings, ready)) for _ in range(SENDERS)]
    for worker in workers:
        worker.start()
    ready.wait()
    started = time.perf_counter()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    time.sleep(0.5)
    sink.terminate()
    sink.wait(10)
    ids = message_ids(maildir / "box")
    shutil.rmtree(maildir, ignore_errors=True)
    received, distinct = len(ids), len(set(ids))
    return {"events": events, "emails": expected, "senders": SENDERS,
            "emails_per_s": round(received / elapsed, 1),
            "duplicates": received - distinct, "lost": expected - distinct}
