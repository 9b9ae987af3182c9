"""What a case's workflow does now and when it wakes next: reminders, deadline, idle stage.

The workflow keeps a CaseClock and, at each wake-up, asks `due_now` what to do, does it,
then sleeps until `next_wakeup` — or until a signal (a moved deadline, new reminder days,
activity on the case) changes the clock, after which it asks again. Nothing is scheduled
ahead, so a moved deadline leaves nothing behind at the old dates.

Rules:
- reminders are planned from the moment the deadline (or the reminder days) became known:
  a reminder whose instant was already past then is never sent;
- when several reminders fell due together (a worker down for days), only the one nearest
  the deadline is sent, the older ones are skipped: one late "J-2" beats "J-7" then "J-2";
- reminders and the deadline matter only before the deposit (reminders.BEFORE_DEPOSIT);
- at the deadline, reminders.deadline_action(stage) decides (missed, or ask to confirm the
  deposit), once per deadline;
- a stage idle past its limit is escalated once per idle stretch; any activity restarts it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone

from .reminders import (
    DEFAULT_IDLE_LIMIT_DAYS,
    DEFAULT_REMINDER_OFFSETS_DAYS,
    DeadlineAction,
    Reminder,
    deadline_action,
    escalation_due_at,
    is_deadline_passed,
    reminder_schedule,
)
from .stages import BEFORE_DEPOSIT, Stage


@dataclass(frozen=True)
class CaseClock:
    stage: Stage
    last_activity_at: datetime
    deadline: datetime | None = None
    # When the current deadline and reminder days became known.
    planned_from: datetime | None = None
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_OFFSETS_DAYS
    # days_before already sent (or skipped) for the current deadline.
    reminders_done: frozenset[int] = frozenset()
    deadline_done: bool = False  # the deadline's consequence was applied
    escalated: bool = False  # this idle stretch was already escalated
    idle_days: Mapping[Stage, int] = field(default_factory=lambda: dict(DEFAULT_IDLE_LIMIT_DAYS))

    def planned_reminders(self) -> list[Reminder]:
        """Reminders of the current deadline not yet done, earliest first."""
        if self.deadline is None or self.stage not in BEFORE_DEPOSIT:
            return []
        start = self.planned_from or self.last_activity_at
        return [reminder for reminder in reminder_schedule(self.deadline, start, self.reminder_days)
                if reminder.days_before not in self.reminders_done]

    def escalation_at(self) -> datetime | None:
        if self.escalated or self.stage.is_terminal:
            return None
        return escalation_due_at(self.stage, self.last_activity_at, self.idle_days)


@dataclass(frozen=True)
class DueNow:
    reminder: Reminder | None = None  # to send
    skipped: tuple[Reminder, ...] = ()  # fell due too, superseded by `reminder`
    deadline: DeadlineAction | None = None  # to apply (never NOTHING)
    escalate: bool = False

    @property
    def is_empty(self) -> bool:
        return (self.reminder is None and not self.skipped and self.deadline is None
                and not self.escalate)


def _utc(moment: datetime) -> datetime:
    return moment.astimezone(timezone.utc)


def due_now(clock: CaseClock, now: datetime) -> DueNow:
    """What is due at `now` (aware): a reminder, the deadline's consequence, an escalation."""
    deadline_due: DeadlineAction | None = None
    deadline_passed = clock.deadline is not None and is_deadline_passed(clock.deadline, now)
    if deadline_passed and not clock.deadline_done:
        action = deadline_action(clock.stage)
        deadline_due = None if action is DeadlineAction.NOTHING else action
    fallen = [r for r in clock.planned_reminders() if _utc(r.at) <= _utc(now)]
    if deadline_passed:
        reminder, skipped = None, tuple(fallen)  # too late for any reminder
    elif fallen:
        reminder, skipped = fallen[-1], tuple(fallen[:-1])
    else:
        reminder, skipped = None, ()
    escalation = clock.escalation_at()
    escalate = escalation is not None and _utc(escalation) <= _utc(now)
    return DueNow(reminder, skipped, deadline_due, escalate)


def next_wakeup(clock: CaseClock, now: datetime) -> datetime | None:
    """The next instant (UTC) after `now` at which something may fall due; None: only signals."""
    if clock.stage.is_terminal:
        return None
    candidates = [r.at for r in clock.planned_reminders() if _utc(r.at) > _utc(now)]
    if clock.deadline is not None and not clock.deadline_done and clock.stage in BEFORE_DEPOSIT:
        if _utc(clock.deadline) > _utc(now):
            candidates.append(clock.deadline)
    escalation = clock.escalation_at()
    if escalation is not None and _utc(escalation) > _utc(now):
        candidates.append(escalation)
    return min((_utc(c) for c in candidates), default=None)
