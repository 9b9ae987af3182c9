"""Notifications as a process: migrations, workflows, activities, handlers, commands."""

from __future__ import annotations

from pathlib import Path

from centrale.service import ServiceDefinition, entry_point

from .activities import DigestActivities
from .demo import load_demo
from .handlers import handlers
from .workflows import DigestWorkflow


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="notifications",
        migrations=Path(__file__).with_name("migrations"),
        load_demo=load_demo,
        workflows=[DigestWorkflow],
        activities=lambda settings, db: DigestActivities(db).all(),
        handlers=handlers,
    )


console_script = entry_point(definition)
