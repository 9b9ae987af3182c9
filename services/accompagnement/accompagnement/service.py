"""Accompagnement as a process: migrations, workflows, activities, handlers, commands."""

from __future__ import annotations

from pathlib import Path

from centrale.service import ServiceDefinition, entry_point

from .activities import CaseActivities
from .demo import load_demo
from .workflows import CaseWorkflow


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="accompagnement",
        migrations=Path(__file__).with_name("migrations"),
        load_demo=load_demo,
        workflows=[CaseWorkflow],
        activities=lambda settings, db: CaseActivities(db).all(),
    )


console_script = entry_point(definition)
