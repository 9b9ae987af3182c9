"""Daily Temporal Schedules, made to match the code idempotently.

A service describes its daily job as a :class:`DailySchedule` (which workflow, on which task
queue, at what time of day in Paris); :func:`ensure_daily_schedule` creates the schedule when
it is missing, updates it when its time, time zone, task queue, workflow or overlap policy
differ, and leaves it alone otherwise — ``dry_run`` says which without touching anything.
Every schedule skips a run while the previous one is still going, and catches up on a run
missed by at most six hours (a server that was down at the time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta

from temporalio.client import (Client, Schedule, ScheduleActionStartWorkflow,
                               ScheduleCalendarSpec, ScheduleOverlapPolicy, SchedulePolicy,
                               ScheduleRange, ScheduleSpec, ScheduleState, ScheduleUpdate)
from temporalio.service import RPCError, RPCStatusCode

TIME_ZONE = "Europe/Paris"


@dataclass(frozen=True)
class DailySchedule:
    schedule_id: str
    workflow: str  # the workflow's registered name
    task_queue: str
    at: time  # Paris time, daylight saving included
    workflow_id: str  # Temporal appends the scheduled time to it
    comment: str  # what it does, shown in the Temporal UI
    command: str  # the command that (re)creates it, shown in the Temporal UI
    execution_timeout: timedelta = timedelta(hours=1)

    def schedule(self) -> Schedule:
        return Schedule(
            action=ScheduleActionStartWorkflow(
                self.workflow, id=self.workflow_id, task_queue=self.task_queue,
                execution_timeout=self.execution_timeout),
            spec=ScheduleSpec(
                calendars=[ScheduleCalendarSpec(second=[ScheduleRange(0)],
                                                minute=[ScheduleRange(self.at.minute)],
                                                hour=[ScheduleRange(self.at.hour)],
                                                comment=self.comment)],
                time_zone_name=TIME_ZONE),
            policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP,
                                  catchup_window=timedelta(hours=6)),
            state=ScheduleState(note=f"{self.comment} : {self.command}"),
        )

    def describe(self) -> str:
        return (f"« {self.schedule_id} » : tous les jours à {self.at.hour} h "
                f"{self.at.minute:02d} ({TIME_ZONE}), workflow {self.workflow} sur la file "
                f"« {self.task_queue} »")


@dataclass(frozen=True)
class Fingerprint:
    hour: int
    minute: int
    time_zone: str | None
    task_queue: str | None
    workflow: str | None
    workflow_id: str | None
    overlap: int | None


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


async def ensure_daily_schedule(client: Client, daily: DailySchedule,
                                dry_run: bool = False) -> str:
    """Make the schedule match; return « créé », « mis à jour » or « inchangé » (with
    « à créer », « à mettre à jour » under ``dry_run``)."""
    desired = daily.schedule()
    handle = client.get_schedule_handle(daily.schedule_id)
    try:
        description = await handle.describe()
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        if dry_run:
            return "à créer"
        await client.create_schedule(daily.schedule_id, desired)
        return "créé"
    if fingerprint(description.schedule) == fingerprint(desired):
        return "inchangé"
    if dry_run:
        return "à mettre à jour"
    await handle.update(lambda _: ScheduleUpdate(schedule=desired))
    return "mis à jour"
