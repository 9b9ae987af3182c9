"""What a service declares about itself, and the command line every service shares.

A service module builds one :class:`ServiceDefinition`; ``S migrate``, ``S queues``,
``S worker``, ``S bus``, ``S demo`` and ``S schedules`` then behave the same way in every
service, and the service adds its own domain commands.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Sequence

from amqp.exceptions import PreconditionFailed

from . import tracing
from .bus import Bus
from .consumer import EventConsumer, Handler
from .db import Database
from .logs import configure_logging
from .metrics import DeadLetterCollector, OutboxCollector, serve_metrics
from .migrations import migrate
from .outbox import OutboxRelay
from .settings import Settings, load_settings
from .temporal import leave, run_worker

log = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace, Settings], int]


def dry_run_argument(parser: argparse.ArgumentParser) -> None:
    """Every command that changes data takes ``--dry-run``: the ones with no other argument
    use this as their ``add_arguments``."""
    parser.add_argument("--dry-run", action="store_true", help="montre sans rien changer")


@dataclass
class ServiceDefinition:
    name: str
    migrations: Path
    workflows: Sequence[type] = ()
    activities: Callable[[Settings, Database], Sequence[Callable]] = lambda s, db: ()
    handlers: Callable[[Settings], Sequence[Handler]] = lambda s: ()
    load_demo: Callable[[Settings, bool], str] | None = None
    # Metrics read from the service's database when Prometheus scrapes its bus process.
    collectors: Callable[[Settings, Database], Sequence[object]] = lambda s, db: ()
    # Its Temporal Schedules (its ``schedules.py``, through ``centrale.schedules``).
    schedules: Callable[[Settings], Sequence[object]] = lambda s: ()
    # name -> (help, add_arguments, run)
    commands: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Command]] = field(
        default_factory=dict)


def run_bus(definition: ServiceDefinition, settings: Settings) -> int:
    """Relay this service's outbox and consume the events it handles, until SIGTERM."""
    db = Database.from_settings(settings).open()
    bus = Bus.from_settings(settings)
    relay = OutboxRelay(db, bus)
    relay_thread = threading.Thread(target=relay.run_forever, name="outbox-relay", daemon=True)
    relay_thread.start()
    handlers = list(definition.handlers(settings))
    consumer = EventConsumer(settings.service, db, Bus.from_settings(settings), handlers,
                             max_attempts=settings.bus_max_attempts) if handlers else None
    dead_queues = {name: queues.dead.name for name, queues in consumer.queues.items()} \
        if consumer is not None else {}
    serve_metrics(settings, [OutboxCollector(db), DeadLetterCollector(bus, dead_queues),
                             *definition.collectors(settings, db)],
                  alive=relay_thread.is_alive)

    def stop(*_):
        relay.stop()
        if consumer is not None:
            consumer.should_stop = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("bus process started", extra={"handlers": [h.name for h in handlers]})
    if consumer is not None:
        try:
            consumer.run()
        except PreconditionFailed as exc:  # a classic queue of before the quorum queues
            log.error("queues not as declared: run `%s queues` with the bus processes stopped"
                      " (README, Bus)", settings.service, extra={"error": str(exc)})
            relay.stop()
            return 1
    else:
        relay_thread.join()
    relay.stop()
    relay_thread.join(timeout=5)
    db.close()
    return 0


def migrate_queues(definition: ServiceDefinition, settings: Settings, dry_run: bool) -> int:
    """``S queues``: this service's handler queues as quorum queues (see queue_migration)."""
    from .queue_migration import migrate_to_quorum

    bus = Bus.from_settings(settings)
    handlers = list(definition.handlers(settings))
    report = migrate_to_quorum(
        bus, [bus.queues_for(settings.service, h.name, h.event_types) for h in handlers],
        dry_run=dry_run)
    print(f"{definition.name}: {report.summary(dry_run)}")
    return 0


def main(definition: ServiceDefinition, argv: Sequence[str] | None = None) -> int:
    settings = load_settings(definition.name)
    configure_logging(definition.name, settings.log_level)
    parser = argparse.ArgumentParser(prog=definition.name,
                                     description=f"Service {definition.name} de la Centrale.")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("migrate", help="applique les migrations de la base du service")
    p.add_argument("--dry-run", action="store_true", help="liste sans rien appliquer")
    p.add_argument("--check", action="store_true",
                   help="sort en erreur (1) tant qu'une migration reste à appliquer, sans rien "
                        "appliquer (ce qu'attendent les pods Kubernetes avant de démarrer)")
    p = sub.add_parser("queues", help="déclare les files du service en files quorum, en y "
                                      "déplaçant les files classiques existantes (bus arrêté)")
    p.add_argument("--dry-run", action="store_true", help="montre sans rien changer")
    sub.add_parser("worker", help="lance le worker Temporal du service")
    sub.add_parser("bus", help="relaie l'outbox et consomme les événements")
    if definition.load_demo is not None:
        p = sub.add_parser("demo", help="charge les données de démonstration")
        p.add_argument("--dry-run", action="store_true", help="montre sans rien écrire")
    p = sub.add_parser("schedules", help="crée ou met à jour les programmes Temporal du service")
    p.add_argument("--dry-run", action="store_true", help="montre sans rien changer")
    for name, (help_text, add_arguments, _run) in definition.commands.items():
        add_arguments(sub.add_parser(name, help=help_text))

    args = parser.parse_args(argv)
    if args.command == "migrate":
        if args.check:
            pending = migrate(settings, definition.migrations, dry_run=True)
            print(f"{definition.name}: {len(pending)} migration(s) en attente"
                  + "".join(f"\n  {m}" for m in pending))
            return 1 if pending else 0
        applied = migrate(settings, definition.migrations, dry_run=args.dry_run)
        verb = "à appliquer" if args.dry_run else "appliquées"
        print(f"{definition.name}: {len(applied)} migration(s) {verb}"
              + "".join(f"\n  {m}" for m in applied))
        return 0
    if args.command == "queues":
        return migrate_queues(definition, settings, args.dry_run)
    if args.command == "worker":
        tracing.configure(definition.name)
        db = Database.from_settings(settings).open()
        serve_metrics(settings)
        run_worker(settings, definition.workflows, definition.activities(settings, db))
        db.close()
        tracing.shutdown()
        return 0
    if args.command == "bus":
        tracing.configure(definition.name)
        try:
            return run_bus(definition, settings)
        finally:
            tracing.shutdown()
    if args.command == "demo":
        print(definition.load_demo(settings, args.dry_run))
        return 0
    if args.command == "schedules":
        from .schedules import apply_schedules

        lines = apply_schedules(settings, definition.schedules(settings), args.dry_run)
        print("\n".join(f"{definition.name} : {line}" for line in lines)
              or f"{definition.name} : aucun programme Temporal")
        return 0
    _help, _add, run = definition.commands[args.command]
    return run(args, settings)


def entry_point(definition_factory: Callable[[], ServiceDefinition]) -> Callable[[], None]:
    def console_script() -> None:
        leave(main(definition_factory()))

    return console_script
