"""The daily digest's Temporal Schedule (see :mod:`centrale.schedules`).

``notifications schedules [--dry-run]`` makes it match this code. It starts a ``Digest``
workflow every day at ``CENTRALE_NOTIFICATIONS_DIGEST_TIME`` (07:00 by default), Paris time.
"""

from __future__ import annotations

from temporalio.client import Client

from centrale.schedules import DailySchedule, ensure_daily_schedule
from centrale.settings import Settings

from .config import NotificationConfig

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


async def ensure_schedule(client: Client, settings: Settings, config: NotificationConfig,
                          dry_run: bool = False) -> str:
    return await ensure_daily_schedule(client, daily_digest(settings, config), dry_run)


def describe(settings: Settings, config: NotificationConfig) -> str:
    return daily_digest(settings, config).describe()
