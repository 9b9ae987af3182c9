"""Notifications as a process: migrations, workflows, activities, handlers, commands.

Beyond the shared commands (``migrate``, ``worker``, ``bus``, ``demo``):

- ``notifications worker`` also runs the *sender* (a thread beside the Temporal worker) that
  sends queued emails — immediate ones and digests; the bus process only records them;
- ``notifications send [--dry-run]`` sends the due emails once (or lists them);
- ``notifications schedules [--dry-run]`` (shared by every service) creates or updates the
  daily digest's Schedule (``schedules.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from centrale.db import Database
from centrale.logs import configure_logging
from centrale.service import ServiceDefinition, dry_run_argument, main
from centrale.settings import Settings, load_settings
from centrale.temporal import leave

from .activities import DigestActivities
from .config import config_from
from .demo import load_demo
from .handlers import handlers
from .schedules import planned
from .workflows import DigestWorkflow


def run_send(args: argparse.Namespace, settings: Settings) -> int:
    from .sender import Sender, describe_due

    db = Database.from_settings(settings).open()
    try:
        with db.transaction() as conn:
            migrated = conn.execute("SELECT to_regclass('emails') IS NOT NULL AS ok").fetchone()
        if not migrated["ok"]:
            print("notifications: base non migrée, lancez d'abord « notifications migrate »",
                  file=sys.stderr)
            return 1
        if args.dry_run:
            due = describe_due(db)
            print(f"notifications: {len(due)} courriel(s) en attente"
                  + "".join(f"\n  {e['id']} → {e['recipient']} : {e['subject']}"
                            f" (tentatives : {e['attempts']})" for e in due))
            return 0
        sender = Sender(db, config_from(settings))
        recovered = sender.recover()
        outcomes = sender.send_due()
        print(f"notifications: {outcomes.get('sent', 0)} courriel(s) envoyé(s), "
              f"{outcomes.get('retry', 0)} à réessayer, {outcomes.get('failed', 0)} en échec"
              + (f", {len(recovered)} interrompu(s) réglé(s)" if recovered else ""))
        return 0
    finally:
        db.close()


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="notifications",
        migrations=Path(__file__).with_name("migrations"),
        load_demo=load_demo,
        workflows=[DigestWorkflow],
        activities=lambda settings, db: DigestActivities(db, config_from(settings)).all(),
        handlers=handlers,
        schedules=planned,
        commands={
            "send": ("envoie les courriels en attente", dry_run_argument, run_send),
        },
    )


def run(argv: list[str]) -> int:
    service = definition()
    if argv[:1] == ["worker"] and not {"-h", "--help"} & set(argv):
        from .sender import background_sender

        settings = load_settings(service.name)
        configure_logging(service.name, settings.log_level)
        db = Database.from_settings(settings).open()
        try:
            with background_sender(db, config_from(settings)):
                return main(service, argv)
        finally:
            db.close()
    return main(service, argv)


def console_script() -> None:
    leave(run(sys.argv[1:]))
