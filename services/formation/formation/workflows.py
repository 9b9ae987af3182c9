"""The session workflow: one per training session, from its scheduling to its survey.

1. Before the session, in order: the J-7 and J-1 reminders (``training.reminder`` to each
   confirmed person, with the calendar invitation) and the closing of registrations
   (``close_registrations_hours`` before the start, 24 h by default) — see
   ``domain.schedule.session_plan``.
2. At the session's end it is marked held; a ``cancel`` signal at any point before that
   stops everything and marks it cancelled (everyone registered is told).
3. After a held session, it waits for the attendance sheet (signal ``attendance_recorded``,
   sent by the attendance API) at most ``survey_wait_hours``, then asks the participants not
   recorded absent for the satisfaction survey, and ends.

A ``reschedule`` signal moves the session (new start and end): the workflow plans again from
the new start — a J-N already sent for the old date is sent again for the new one, steps
already past for the new date are dropped, registrations close at the new time. Workflows
started before rescheduling existed (no ``session-reschedule`` patch marker in their history)
keep their first plan; formation's API only moves sessions whose workflow has the marker.

A workflow started with the first input shape (no ``starts_at``) only waits for the end, as
the first version did, so its history replays unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from centrale.temporal import DEFAULT_RETRY

    from .activities import (CloseRegistrationsInput, CloseSessionInput, RequestSurveyInput,
                             SendRemindersInput, SessionActivities)
    from .domain.registrations import DEFAULT_CLOSE_HOURS
    from .domain.schedule import DEFAULT_REMINDER_DAYS, DEFAULT_SURVEY_WAIT, StepKind, session_plan

ACTIVITY_TIMEOUT = timedelta(seconds=60)
RESCHEDULE_PATCH = "session-reschedule"


@dataclass
class SessionInput:
    session_id: int
    ends_at: str  # ISO 8601 with offset
    starts_at: str | None = None  # ISO 8601 with offset; None: the first version's input
    close_registrations_hours: float = float(DEFAULT_CLOSE_HOURS)
    reminder_days: list[int] = field(default_factory=lambda: list(DEFAULT_REMINDER_DAYS))
    survey_wait_hours: float = DEFAULT_SURVEY_WAIT.total_seconds() / 3600


@dataclass
class Cancellation:
    reason: str


@dataclass
class SessionMove:
    starts_at: str  # ISO 8601 with offset
    ends_at: str


@dataclass
class SessionProgress:
    """What the workflow did so far (query ``progress``)."""

    reminders_sent: list[int] = field(default_factory=list)
    registrations_closed: bool = False
    status: str = "scheduled"
    attendance_recorded: bool = False
    survey_requested: bool = False
    starts_at: str | None = None  # the start the workflow plans for (moved by ``reschedule``)
    ends_at: str | None = None
    reschedulable: bool = False


@workflow.defn(name="TrainingSession")
class SessionWorkflow:
    def __init__(self) -> None:
        self.cancellation: Cancellation | None = None
        self.progress = SessionProgress()
        self.move: SessionMove | None = None  # a reschedule not yet planned for

    def _interrupted(self) -> bool:
        return self.cancellation is not None or self.move is not None

    async def _sleep_until(self, moment: datetime) -> bool:
        """Wait until ``moment``; True if the session was cancelled (or, once rescheduling
        is on, moved) meanwhile."""
        interrupted = self._interrupted if self.progress.reschedulable else \
            (lambda: self.cancellation is not None)
        wait = moment - workflow.now()
        if not interrupted() and wait > timedelta(0):
            try:
                await workflow.wait_condition(interrupted, timeout=wait)
            except TimeoutError:
                pass
        return interrupted()

    async def _activity(self, step: Callable[[SessionActivities, Any], Any], argument) -> object:
        return await workflow.execute_activity_method(step, argument,
                                                      start_to_close_timeout=ACTIVITY_TIMEOUT,
                                                      retry_policy=DEFAULT_RETRY)

    @workflow.run
    async def run(self, data: SessionInput) -> str:
        ends_at = datetime.fromisoformat(data.ends_at)
        if data.starts_at is not None and workflow.patched(RESCHEDULE_PATCH):
            await self._run_until_the_end(data)
        elif data.starts_at is not None:
            plan = session_plan(datetime.fromisoformat(data.starts_at), workflow.now(),
                                data.reminder_days, data.close_registrations_hours)
            for step in plan:
                if await self._sleep_until(step.at):
                    break
                await self._run_step(data.session_id, step)
        if not self.progress.reschedulable:
            await self._sleep_until(ends_at)

        status = "cancelled" if self.cancellation else "held"
        await self._activity(SessionActivities.close_session, CloseSessionInput(
            session_id=data.session_id, status=status,
            reason=self.cancellation.reason if self.cancellation else None))
        self.progress.status = status
        if status == "cancelled" or data.starts_at is None:
            return status

        try:
            await workflow.wait_condition(lambda: self.progress.attendance_recorded,
                                          timeout=timedelta(hours=data.survey_wait_hours))
        except TimeoutError:
            pass
        await self._activity(SessionActivities.request_survey,
                             RequestSurveyInput(session_id=data.session_id))
        self.progress.survey_requested = True
        return status

    async def _run_until_the_end(self, data: SessionInput) -> None:
        """The steps before the session, then its end; planned again at every move."""
        progress = self.progress
        progress.reschedulable = True
        progress.starts_at, progress.ends_at = data.starts_at, data.ends_at
        while True:
            plan = session_plan(datetime.fromisoformat(progress.starts_at), workflow.now(),
                                data.reminder_days, data.close_registrations_hours)
            interrupted = False
            for step in plan:
                interrupted = await self._sleep_until(step.at)
                if interrupted:
                    break
                await self._run_step(data.session_id, step)
            if not interrupted:
                interrupted = await self._sleep_until(datetime.fromisoformat(progress.ends_at))
            if not interrupted or self.cancellation is not None:
                return
            move, self.move = self.move, None
            progress.starts_at, progress.ends_at = move.starts_at, move.ends_at
            progress.registrations_closed = False

    async def _run_step(self, session_id: int, step) -> None:
        if step.kind is StepKind.REMINDER:
            await self._activity(SessionActivities.send_reminders, SendRemindersInput(
                session_id=session_id, days_before=step.days_before,
                planned_at=step.at.isoformat(), starts_at=self.progress.starts_at))
            self.progress.reminders_sent.append(step.days_before)
        else:
            await self._activity(SessionActivities.close_registrations, CloseRegistrationsInput(
                session_id=session_id, planned_at=step.at.isoformat(),
                starts_at=self.progress.starts_at))
            self.progress.registrations_closed = True

    @workflow.signal(name="reschedule")
    def reschedule(self, move: SessionMove) -> None:
        if self.cancellation is None and self.progress.status == "scheduled":
            self.move = move

    @workflow.signal(name="cancel")
    def cancel(self, cancellation: Cancellation) -> None:
        if self.cancellation is None and self.progress.status == "scheduled":
            self.cancellation = cancellation

    @workflow.signal(name="attendance_recorded")
    def attendance_recorded(self) -> None:
        self.progress.attendance_recorded = True

    @workflow.query(name="progress")
    def get_progress(self) -> SessionProgress:
        return self.progress
