"""The daily digest's Temporal Schedule, created or updated idempotently.

``notifications schedules`` makes the schedule match this code: created when missing, updated
when its time, time zone, task queue or workflow differ, left alone otherwise; ``--dry-run``
says which without touching anything. The schedule starts a ``Digest`` workflow every day at
``CENTRALE_NOTIFICATIONS_DIGEST_TIME`` (07:00 by default), Paris time — daylight saving
included — and skips a run while the previous one is still going.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from temporalio.client import (Client, Schedule, ScheduleActionStartWorkflow,
                               ScheduleCalendarSpec, ScheduleOverlapPolicy, SchedulePolicy,
                               ScheduleRange, ScheduleSpec, ScheduleState, ScheduleUpdate)
from temporalio.service import RPCError, RPCStatusCode

from centrale.settings import Settings

from .config import NotificationConfig
from .workflows import DigestWorkflow

TIME_ZONE = "Europe/Paris"
WORKFLOW_ID_PREFIX = "digest-quotidien"  # Temporal appends the scheduled time


def schedule_id(settings: Settings) -> str:
    """One schedule per task queue: a test run's schedule never touches the platform's."""
    return f"{settings.task_queue}-resume-quotidien"


@dataclass(frozen=True)
class Fingerprint:
    hour: int
    minute: int
    time_zone: str | None
    task_queue: str | None
    workflow: str | None
    workflow_id: str | None
    overlap: int | None


def desired_schedule(settings: Settings, config: NotificationConfig) -> Schedule:
    at = config.digest_time
    return Schedule(
        action=ScheduleActionStartWorkflow(
            DigestWorkflow.run, id=WORKFLOW_ID_PREFIX, task_queue=settings.task_queue,
            execution_timeout=timedelta(hours=1)),
        spec=ScheduleSpec(
            calendars=[ScheduleCalendarSpec(second=[ScheduleRange(0)],
                                            minute=[ScheduleRange(at.minute)],
                                            hour=[ScheduleRange(at.hour)],
                                            comment="résumé quotidien des notifications")],
            time_zone_name=TIME_ZONE),
        policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP,
                              catchup_window=timedelta(hours=6)),
        state=ScheduleState(note="Résumé quotidien : notifications schedules"),
    )


def fingerprint(schedule: Schedule) -> Fingerprint:
    calendar = schedule.spec.calendars[0] if schedule.spec.calendars else None
    action = schedule.action
    return Fingerprint(
        hour=calendar.hour[0].start if calendar and calendar.hour else -1,
        minute=calendar.minute[0].start if calendar and calendar.minute else -1,
        time_zone=schedule.spec.time_zone_name,
        task_queue=getattr(action, "task_queue", None),
        workflow=getattr(action, "workflow", None),
        workflow_id=getattr(action, "id", None),
        overlap=int(schedule.policy.overlap) if schedule.policy else None,
    )


async def ensure_schedule(client: Client, settings: Settings, config: NotificationConfig,
                          dry_run: bool = False) -> str:
    """Make the schedule match; return « créé », « mis à jour » or « inchangé » (with
    « à créer », « à mettre à jour » under ``dry_run``)."""
    desired = desired_schedule(settings, config)
    handle = client.get_schedule_handle(schedule_id(settings))
    try:
        description = await handle.describe()
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        if dry_run:
            return "à créer"
        await client.create_schedule(schedule_id(settings), desired)
        return "créé"
    if fingerprint(description.schedule) == fingerprint(desired):
        return "inchangé"
    if dry_run:
        return "à mettre à jour"
    await handle.update(lambda _: ScheduleUpdate(schedule=desired))
    return "mis à jour"


def describe(settings: Settings, config: NotificationConfig) -> str:
    at = config.digest_time
    return (f"« {schedule_id(settings)} » : tous les jours à {at.hour} h {at.minute:02d} "
            f"({TIME_ZONE}), workflow Digest sur la file « {settings.task_queue} »")
