"""Veille as a process: its migrations, workflows, activities, handlers and commands."""

from __future__ import annotations

from pathlib import Path

from centrale.service import ServiceDefinition, entry_point

from .activities import VeilleActivities
from .cli import COMMANDS
from .demo import load_demo
from .matcher import matching_handlers
from .metrics import FeedPollCollector
from .schedules import planned
from .workflows import FeedPollWorkflow, ImportNoticesWorkflow, RefreshRenewalsWorkflow


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="veille",
        migrations=Path(__file__).with_name("migrations"),
        workflows=[ImportNoticesWorkflow, FeedPollWorkflow, RefreshRenewalsWorkflow],
        activities=lambda settings, db: VeilleActivities(db, settings).all(),
        handlers=lambda settings: matching_handlers(),
        load_demo=load_demo,
        collectors=lambda settings, db: [FeedPollCollector(db)],
        schedules=planned,
        commands=COMMANDS,
    )


console_script = entry_point(definition)
