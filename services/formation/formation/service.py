"""Formation as a process: migrations, workflows, activities, handlers, commands."""

from __future__ import annotations

from pathlib import Path

from centrale.service import ServiceDefinition, entry_point

from .activities import SessionActivities
from .demo import load_demo
from .handlers import handlers
from .schedules import planned
from .workflows import SessionWorkflow


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="formation",
        migrations=Path(__file__).with_name("migrations"),
        load_demo=load_demo,
        workflows=[SessionWorkflow],
        activities=lambda settings, db: SessionActivities(db).all(),
        handlers=handlers,
        schedules=planned,
    )


console_script = entry_point(definition)
