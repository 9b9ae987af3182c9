"""Accompagnement as a process: migrations, workflows, activities, handlers, commands."""

from __future__ import annotations

from pathlib import Path

from centrale.service import ServiceDefinition, entry_point

from .activities import CaseActivities
from .commands import COMMANDS
from .config import case_settings
from .document_warnings import DocumentWarningActivities
from .document_warnings_workflow import DocumentWarningsWorkflow
from .demo import load_demo
from .handlers import handlers
from .schedules import planned
from .workflows import CaseWorkflow


def definition() -> ServiceDefinition:
    return ServiceDefinition(
        name="accompagnement",
        migrations=Path(__file__).with_name("migrations"),
        load_demo=load_demo,
        workflows=[CaseWorkflow, DocumentWarningsWorkflow],
        activities=lambda settings, db: CaseActivities(db).all() + DocumentWarningActivities(
            db, case_settings(settings).document_warning_days).all(),
        handlers=handlers,
        schedules=planned,
        commands=COMMANDS,
    )


console_script = entry_point(definition)
