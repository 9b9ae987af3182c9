"""Veille as a process: its migrations, workflows, activities, handlers and commands."""

from __future__ import annotations

from pathlib import Path

from centrale.service import ServiceDefinition, entry_point

from .activities import VeilleActivities
from .cli import COMMANDS
from .demo import load_demo
from .workflows import ImportNoticesWorkflow


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="veille",
        migrations=Path(__file__).with_name("migrations"),
        workflows=[ImportNoticesWorkflow],
        activities=lambda settings, db: VeilleActivities(db).all(),
        load_demo=load_demo,
        commands=COMMANDS,
    )


console_script = entry_point(definition)
