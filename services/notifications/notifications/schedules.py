"""Notifications' Temporal Schedules (``notifications schedules [--dry-run]``, through
:mod:`centrale.schedules`): the daily digest, a ``Digest`` workflow every day at
``CENTRALE_NOTIFICATIONS_DIGEST_TIME`` (07:00 by default), Paris time.
"""

from __future__ import annotations

from centrale.schedules import DailySchedule
from centrale.settings import Settings

from .config import NotificationConfig, config_from

WORKFLOW_ID_PREFIX = "digest-quotidien"  # Temporal appends the scheduled time


def schedule_id(settings: Settings) -> str:
    """One schedule per task queue: a test run's schedule never touches the platform's."""
    return f"{settings.task_queue}-resume-quotidien"


def daily_digest(settings: Settings, config: NotificationConfig) -> DailySchedule:
    return DailySchedule(schedule_id=schedule_id(settings), workflow="Digest",
                         task_queue=settings.task_queue, at=config.digest_time,
                         workflow_id=WORKFLOW_ID_PREFIX,
                         comment="résumé quotidien des notifications",
                         command="notifications schedules")


def planned(settings: Settings) -> list[DailySchedule]:
    return [daily_digest(settings, config_from(settings))]
