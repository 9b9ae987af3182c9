"""Accompagnement's Temporal Schedules (``accompagnement schedules [--dry-run]``, through
:mod:`centrale.schedules`): every day at ``CENTRALE_ACCOMPAGNEMENT_DOCUMENT_WARNING_TIME``
(06:30, Paris), a ``DocumentWarnings`` workflow announces the vault documents to renew."""

from __future__ import annotations

from centrale.schedules import DailySchedule
from centrale.settings import Settings

from .config import CaseSettings, case_settings
from .document_warnings import WORKFLOW_NAME


def daily_warnings(settings: Settings, settings_of_cases: CaseSettings) -> DailySchedule:
    """One schedule per task queue: a test run's schedule never touches the platform's."""
    return DailySchedule(schedule_id=f"{settings.task_queue}-alertes-documents",
                         workflow=WORKFLOW_NAME, task_queue=settings.task_queue,
                         at=settings_of_cases.document_warning_time,
                         workflow_id="alertes-documents",
                         comment="documents du coffre-fort à renouveler",
                         command="accompagnement schedules")


def planned(settings: Settings) -> list[DailySchedule]:
    return [daily_warnings(settings, case_settings(settings))]
