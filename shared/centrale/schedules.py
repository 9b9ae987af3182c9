"""Temporal Schedules, made to match the code idempotently: the one way every service plans a
recurring workflow (``S schedules [--dry-run]``, from the service's ``schedules.py``).

A service describes each job as a :class:`DailySchedule` (at a time of day in Paris) or an
:class:`IntervalSchedule` (every hour, every six hours…): which workflow, with which input,
on which task queue, paused or not. :func:`ensure_schedule` creates the schedule when it is
missing, updates it when anything of it differs, and leaves it alone otherwise — ``dry_run``
says which without touching anything. Every schedule skips a run while the previous one is
still going, and catches up on a run missed by at most six hours (a server that was down).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import time, timedelta
from typing import Any

from temporalio.client import (Client, Schedule, ScheduleActionStartWorkflow,
                               ScheduleCalendarSpec, ScheduleIntervalSpec,
                               ScheduleOverlapPolicy, SchedulePolicy, ScheduleRange,
                               ScheduleSpec, ScheduleState, ScheduleUpdate)
from temporalio.service import RPCError, RPCStatusCode

from .french import recurrence
from .settings import Settings
from .temporal import TemporalBridge

TIME_ZONE = "Europe/Paris"


@dataclass(frozen=True, kw_only=True)
class PlannedSchedule:
    schedule_id: str  # one per task queue: a test run's schedule never touches the platform's
    workflow: str  # the workflow's registered name
    task_queue: str
    workflow_id: str  # Temporal appends the scheduled time to it
    comment: str  # what it does, shown in the Temporal UI
    command: str  # the command that (re)creates it, shown in the Temporal UI
    args: tuple[Any, ...] = ()  # the workflow's input
    paused: bool = False
    pause_note: str = ""  # why it is paused, and how to make it run
    execution_timeout: timedelta = timedelta(hours=1)

    def spec(self) -> ScheduleSpec:
        raise NotImplementedError

    def when(self) -> str:
        raise NotImplementedError

    def schedule(self) -> Schedule:
        note = self.pause_note if self.paused else f"{self.comment} : {self.command}"
        return Schedule(
            action=ScheduleActionStartWorkflow(
                self.workflow, args=list(self.args), id=self.workflow_id,
                task_queue=self.task_queue, execution_timeout=self.execution_timeout),
            spec=self.spec(),
            policy=SchedulePolicy(overlap=ScheduleOverlapPolicy.SKIP,
                                  catchup_window=timedelta(hours=6)),
            state=ScheduleState(paused=self.paused, note=note),
        )

    def describe(self) -> str:
        state = " (en pause)" if self.paused else ""
        return (f"« {self.schedule_id} » : {self.when()}, workflow {self.workflow} sur la file "
                f"« {self.task_queue} »{state}")


@dataclass(frozen=True, kw_only=True)
class DailySchedule(PlannedSchedule):
    at: time  # Paris time, daylight saving included

    def spec(self) -> ScheduleSpec:
        return ScheduleSpec(
            calendars=[ScheduleCalendarSpec(second=[ScheduleRange(0)],
                                            minute=[ScheduleRange(self.at.minute)],
                                            hour=[ScheduleRange(self.at.hour)],
                                            comment=self.comment)],
            time_zone_name=TIME_ZONE)

    def when(self) -> str:
        return f"tous les jours à {self.at.hour} h {self.at.minute:02d} ({TIME_ZONE})"


@dataclass(frozen=True, kw_only=True)
class IntervalSchedule(PlannedSchedule):
    every: timedelta

    def spec(self) -> ScheduleSpec:
        return ScheduleSpec(intervals=[ScheduleIntervalSpec(every=self.every)])

    def when(self) -> str:
        return recurrence(self.every)


@dataclass(frozen=True)
class Fingerprint:
    calendars: tuple
    intervals: tuple
    time_zone: str | None
    task_queue: str | None
    workflow: str | None
    workflow_id: str | None
    args: tuple
    overlap: int | None
    paused: bool


def _fingerprint(schedule: Schedule, args: Sequence[bytes]) -> Fingerprint:
    action = schedule.action
    return Fingerprint(
        calendars=tuple((c.hour[0].start if c.hour else -1, c.minute[0].start if c.minute else -1)
                        for c in schedule.spec.calendars),
        intervals=tuple(i.every.total_seconds() for i in schedule.spec.intervals),
        time_zone=schedule.spec.time_zone_name or None,
        task_queue=getattr(action, "task_queue", None),
        workflow=getattr(action, "workflow", None),
        workflow_id=getattr(action, "id", None),
        args=tuple(args),
        overlap=int(schedule.policy.overlap) if schedule.policy else None,
        paused=bool(schedule.state.paused) if schedule.state else False,
    )


async def _encoded(client: Client, args: Sequence[Any]) -> list[bytes]:
    """The workflow input as the server keeps it (described schedules give payloads)."""
    if args and all(hasattr(a, "data") and hasattr(a, "metadata") for a in args):
        return [a.data for a in args]
    return [p.data for p in await client.data_converter.encode(list(args))]


async def ensure_schedule(client: Client, planned: PlannedSchedule,
                          dry_run: bool = False) -> str:
    """Make the schedule match; return « créé », « mis à jour » or « inchangé » (with
    « à créer », « à mettre à jour » under ``dry_run``)."""
    desired = planned.schedule()
    handle = client.get_schedule_handle(planned.schedule_id)
    try:
        description = await handle.describe()
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
        if dry_run:
            return "à créer"
        await client.create_schedule(planned.schedule_id, desired)
        return "créé"
    current = description.schedule
    same = _fingerprint(current, await _encoded(client, getattr(current.action, "args", ()))) \
        == _fingerprint(desired, await _encoded(client, planned.args))
    if same:
        return "inchangé"
    if dry_run:
        return "à mettre à jour"
    await handle.update(lambda _: ScheduleUpdate(schedule=desired))
    return "mis à jour"


def apply_schedules(settings: Settings, planned: Sequence[PlannedSchedule],
                    dry_run: bool = False) -> list[str]:
    """``S schedules``: make each of a service's schedules match; one French line each."""
    bridge = TemporalBridge(settings)
    return [f"programme {p.describe()} : "
            + bridge.run(lambda client, p=p: ensure_schedule(client, p, dry_run), timeout=30)
            for p in planned]
