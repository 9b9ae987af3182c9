"""The CaseWorkflow: one per case, the source of truth for its stage and its deadline.

- The stage changes only through the validated ``change_stage`` Update (the French reason of a
  refusal comes from domain.stages); each change is mirrored into the database by an
  activity, which also emits ``case.stage_changed`` (and ``case.outcome_recorded``).
- Deadline reminders, the deadline itself and idle stages follow the updatable-timer pattern
  of Temporal's samples: the workflow sleeps in ``wait_condition`` with a timeout on the next
  instant domain.case_timers gives, and a signal (``deadline_changed``,
  ``reminder_days_changed``, ``activity_recorded``) wakes it to plan again. Nothing is
  scheduled ahead, so nothing fires at a deadline's old dates.
- The workflow ends when the case reaches a terminal stage (won, lost, abandoned, missed).
- When Temporal suggests it (a history of thousands of events), the workflow continues as new
  with its whole state (``CaseInput.carried``), under the same id: API calls address the id,
  so they reach the new run.
"""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any, Callable

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from centrale.temporal import DEFAULT_RETRY

    from .activities import (CaseActivities, DeadlineInput, EscalationInput, RecordStageInput,
                             ReminderInput)
    from .case_records import (CaseActivity, CaseInput, CaseState, DeadlineChange,  # noqa: F401
                               EscalationEntry, HistoryEntry, PlannedReminder, ReminderDays,
                               ReminderEntry, StageChange, default_idle_days, paris_iso)
    from .domain.case_timers import CaseClock, due_now, next_wakeup
    from centrale.french import PARIS
    from .domain.reminders import DEFAULT_REMINDER_OFFSETS_DAYS, DeadlineAction
    from .domain.stages import Stage, TransitionRefused, check_outcome, check_transition

# Cases started before the timers existed keep their first behaviour (stage changes only).
TIMERS_PATCH = "case-deadline-and-idle-timers"
# Cases started before it mirror their stage changes with a regular activity.
LOCAL_MIRROR_PATCH = "case-stage-mirror-local-activity"
SYSTEM = "système"
MISSED_REASON = "Date limite de dépôt passée sans que la réponse ait été déposée."
# The database mirror must land eventually: retried without a bound, with backoff.
MIRROR_RETRY = RetryPolicy(initial_interval=timedelta(seconds=1), backoff_coefficient=2.0,
                           maximum_interval=timedelta(minutes=1), maximum_attempts=0)
ACTIVITY_TIMEOUT = timedelta(seconds=30)


@workflow.defn(name="Case")
class CaseWorkflow:
    @workflow.init
    def __init__(self, data: CaseInput) -> None:
        # Built here, not in run(): an update may arrive in the very first activation.
        self._lock = asyncio.Lock()
        self._wake = False
        if data.carried is not None:
            self.state = data.carried
            return
        self.state = CaseState(
            case_id=data.case_id, stage=data.stage, deadline=paris_iso(data.deadline),
            reminder_days=sorted(set(data.reminder_days or DEFAULT_REMINDER_OFFSETS_DAYS),
                                 reverse=True),
            idle_days=dict(data.idle_days) if data.idle_days is not None else default_idle_days())

    # -- the run loop ------------------------------------------------------------------------

    @workflow.run
    async def run(self, data: CaseInput) -> CaseState:
        if not workflow.patched(TIMERS_PATCH):
            await workflow.wait_condition(lambda: self._closed)
            await workflow.wait_condition(workflow.all_handlers_finished)
            return self.state
        now = self._now()
        self.state.planned_from = self.state.planned_from or now
        self.state.last_activity_at = self.state.last_activity_at or now
        while not self._closed:
            await self._act_on_what_is_due()
            if self._closed:
                break
            if workflow.info().is_continue_as_new_suggested():
                await self._continue_as_new()
            self._wake = False
            wake_at = self._plan()
            timeout = None
            if wake_at is not None:
                timeout = max(wake_at - workflow.now(), timedelta(seconds=1))
            try:
                await workflow.wait_condition(lambda: self._wake or self._closed, timeout=timeout)
            except TimeoutError:
                pass
        # Let the update that closed the case finish before the workflow does.
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.state

    async def _continue_as_new(self) -> None:
        """A long-lived case (many signals over months) starts a fresh history carrying its
        state, under the same workflow id, once Temporal suggests it (thousands of events)."""
        await workflow.wait_condition(workflow.all_handlers_finished)
        workflow.continue_as_new(CaseInput(case_id=self.state.case_id, carried=self.state))

    @property
    def _closed(self) -> bool:
        return Stage(self.state.stage).is_terminal

    def _now(self) -> str:
        return workflow.now().astimezone(PARIS).isoformat()

    def _clock(self) -> CaseClock:
        state = self.state
        now = workflow.now()
        return CaseClock(
            stage=Stage(state.stage),
            last_activity_at=_parse(state.last_activity_at) or now,
            deadline=_parse(state.deadline),
            planned_from=_parse(state.planned_from) or now,
            reminder_days=tuple(state.reminder_days),
            reminders_done=frozenset(r.days_before for r in state.reminders
                                     if r.deadline == state.deadline),
            deadline_done=state.deadline is not None and state.deadline_done_for == state.deadline,
            escalated=state.escalated_since is not None
            and state.escalated_since == state.last_activity_at,
            idle_days={Stage(name): days for name, days in state.idle_days.items()},
        )

    def _plan(self) -> datetime | None:
        """Publish what comes next (for the ``state`` query) and return when to wake."""
        clock = self._clock()
        self.state.next_reminders = [
            PlannedReminder(r.days_before, r.at.astimezone(PARIS).isoformat())
            for r in clock.planned_reminders() if r.at > workflow.now()]
        wake_at = next_wakeup(clock, workflow.now())
        self.state.next_wakeup = wake_at.astimezone(PARIS).isoformat() if wake_at else None
        return wake_at

    async def _act_on_what_is_due(self) -> None:
        due = due_now(self._clock(), workflow.now())
        if due.is_empty:
            return
        state, now = self.state, self._now()
        for reminder in due.skipped:
            state.reminders.append(ReminderEntry(reminder.days_before, state.deadline, now, True))
        if due.reminder is not None:
            state.reminders.append(ReminderEntry(due.reminder.days_before, state.deadline, now))
            await self._announce(CaseActivities.send_reminder, ReminderInput(
                case_id=state.case_id, deadline=state.deadline,
                days_before=due.reminder.days_before, stage=state.stage,
                planned_at=due.reminder.at.astimezone(PARIS).isoformat()))
        if due.deadline is not None:
            deadline = state.deadline
            state.deadline_done_for = deadline
            if due.deadline is DeadlineAction.MARK_MISSED:
                try:
                    await self._apply(StageChange(Stage.MISSED.value, SYSTEM, MISSED_REASON))
                except TransitionRefused:
                    return  # an update moved the case on meanwhile: the loop plans again
                await self._announce(CaseActivities.announce_deadline_missed,
                                     DeadlineInput(state.case_id, deadline))
            elif due.deadline is DeadlineAction.CONFIRM_DEPOSIT:
                await self._announce(CaseActivities.announce_deposit_unconfirmed,
                                     DeadlineInput(state.case_id, deadline))
        if due.escalate and not self._closed:
            since = state.last_activity_at
            state.escalated_since = since
            state.escalations.append(EscalationEntry(state.stage, since, now))
            await self._announce(CaseActivities.escalate_idle, EscalationInput(
                case_id=state.case_id, stage=state.stage, idle_since=since,
                idle_days=state.idle_days.get(state.stage, 0)))

    async def _announce(self, announcement: Callable[[CaseActivities, Any], bool],
                        data) -> None:
        """An announcement that fails for good is logged; the case goes on regardless."""
        try:
            await workflow.execute_activity_method(announcement, data,
                                                   start_to_close_timeout=ACTIVITY_TIMEOUT,
                                                   retry_policy=DEFAULT_RETRY)
        except ActivityError as error:
            workflow.logger.warning("announcement failed", extra={
                "activity": announcement.__name__, "case_id": self.state.case_id,
                "error": str(error)})

    # -- stage changes -----------------------------------------------------------------------

    def _check(self, change: StageChange) -> None:
        """Raise TransitionRefused (French reason) unless the change is allowed now."""
        try:
            target = Stage(change.target)
        except ValueError:
            raise TransitionRefused(f"Étape inconnue : {change.target!r}.") from None
        check_transition(Stage(self.state.stage), target, deadline=_parse(self.state.deadline),
                         now=workflow.now())
        amount = None
        if change.amount is not None:
            try:
                amount = Decimal(change.amount)
            except InvalidOperation:
                raise TransitionRefused(f"Montant invalide : « {change.amount} ».") from None
        if target in (Stage.WON, Stage.LOST) or amount is not None:
            check_outcome(target, amount)

    async def _apply(self, change: StageChange) -> CaseState:
        async with self._lock:
            # Checked again: the case may have moved while this change waited for the lock.
            self._check(change)
            current = self.state.stage
            now = self._now()
            self.state.stage = change.target
            self.state.history.append(
                HistoryEntry(current, change.target, change.changed_by, change.reason, now))
            self.state.last_activity_at = now
            self.state.escalated_since = None
            self._wake = True
            mirror = RecordStageInput(case_id=self.state.case_id, step=len(self.state.history),
                                      from_stage=current, to_stage=change.target,
                                      changed_by=change.changed_by, reason=change.reason,
                                      amount=change.amount, feedback=change.feedback)
            if workflow.patched(LOCAL_MIRROR_PATCH):
                # A local activity: the mirror is written within the workflow task that accepted
                # the update, without a round of the activity task queue (half the server work
                # of a stage change). The write is idempotent by (case, step), so running it
                # again after a lost workflow task is harmless.
                await workflow.execute_local_activity_method(
                    CaseActivities.record_stage, mirror,
                    start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=MIRROR_RETRY)
            else:
                await workflow.execute_activity_method(
                    CaseActivities.record_stage, mirror,
                    start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=MIRROR_RETRY)
        return self.state

    @workflow.update(name="change_stage")
    async def change_stage(self, change: StageChange) -> CaseState:
        try:
            return await self._apply(change)
        except TransitionRefused as refused:
            raise ApplicationError(str(refused), type="TransitionRefused",
                                   non_retryable=True) from None

    @change_stage.validator
    def validate_change_stage(self, change: StageChange) -> None:
        self._check(change)

    # -- signals and query -------------------------------------------------------------------

    @workflow.signal(name="deadline_changed")
    def deadline_changed(self, change: DeadlineChange) -> None:
        deadline = paris_iso(change.deadline)
        if deadline == self.state.deadline:
            return
        self.state.deadline = deadline
        self.state.planned_from = self._now()
        self._wake = True

    @workflow.signal(name="reminder_days_changed")
    def reminder_days_changed(self, days: ReminderDays) -> None:
        wanted = sorted({day for day in days.days if day >= 1}, reverse=True)
        if wanted == self.state.reminder_days:
            return
        self.state.reminder_days = wanted
        self.state.planned_from = self._now()
        self._wake = True

    @workflow.signal(name="activity_recorded")
    def activity_recorded(self, activity: CaseActivity) -> None:
        self.state.last_activity_at = self._now()
        self.state.escalated_since = None
        self._wake = True

    @workflow.query(name="state")
    def get_state(self) -> CaseState:
        return self.state


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
