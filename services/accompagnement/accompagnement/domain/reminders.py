"""When to remind, when a deadline is missed, when an idle case is escalated.

Reminders are "J-N": N calendar days before the deadline at the same clock
time in Europe/Paris, so J-15 of a 12:00 deadline is at 12:00 even when a
daylight-saving change lies in between (the UTC instant then differs by an
hour from "deadline minus 15 x 24 h"). The workflow sleeps until each instant.

Instants are returned in UTC on purpose: Python subtracts and compares two
datetimes sharing one tzinfo by wall clock, ignoring the DST offset, so a
duration between two Europe/Paris datetimes across a change is off by an
hour. UTC values are safe for timers; convert to Paris only for display.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from enum import StrEnum

from centrale.french import PARIS
from .stages import BEFORE_DEPOSIT, Stage

DEFAULT_REMINDER_OFFSETS_DAYS = (15, 7, 2, 1)

# Days a stage may stay without activity before the advisor's manager is
# alerted; awaiting_result is long because buyers take weeks to decide.
DEFAULT_IDLE_LIMIT_DAYS: Mapping[Stage, int] = {
    Stage.DIAGNOSIS: 7,
    Stage.DRAFTING: 10,
    Stage.REVIEW: 5,
    Stage.SUBMISSION: 2,
    Stage.AWAITING_RESULT: 60,
}


@dataclass(frozen=True)
class Reminder:
    days_before: int
    at: datetime  # aware, UTC

    @property
    def at_paris(self) -> datetime:
        return self.at.astimezone(PARIS)

    @property
    def label(self) -> str:
        return f"J-{self.days_before}"


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def shift_calendar_days(moment: datetime, days: int) -> datetime:
    """The instant (UTC) at the same Paris clock time, `days` calendar days later (negative: earlier).

    A clock time that does not exist that day (02:30 on the spring change)
    comes out one hour later (03:30), as zoneinfo reads it with the winter offset.
    """
    _require_aware(moment, "moment")
    wall_clock = moment.astimezone(PARIS).replace(tzinfo=None) + timedelta(days=days)
    return wall_clock.replace(tzinfo=PARIS).astimezone(timezone.utc)


def reminder_schedule(
    deadline: datetime,
    now: datetime,
    offsets_days: Iterable[int] = DEFAULT_REMINDER_OFFSETS_DAYS,
) -> list[Reminder]:
    """The reminders still to send, earliest first; those before `now` are skipped.

    A reminder exactly at `now` is kept (it is due). Offsets are whole days >= 1.
    """
    _require_aware(deadline, "deadline")
    _require_aware(now, "now")
    offsets = sorted(set(offsets_days), reverse=True)
    if any(not isinstance(days, int) or days < 1 for days in offsets):
        raise ValueError("reminder offsets must be whole days >= 1")
    reminders = [Reminder(days, shift_calendar_days(deadline, -days)) for days in offsets]
    return [reminder for reminder in reminders if reminder.at >= now]


class DeadlineAction(StrEnum):
    """What the case workflow does when the deadline timer fires."""

    NOTHING = "nothing"
    MARK_MISSED = "mark_missed"
    CONFIRM_DEPOSIT = "confirm_deposit"


def deadline_action(stage: Stage) -> DeadlineAction:
    """The consequence of reaching the deadline in this stage.

    A case still in diagnosis, drafting or review is missed. A case in
    "submission" may have been deposited minutes before the deadline without
    the advisor recording it yet, so it is not closed automatically (missed
    is final): the advisor is asked to confirm the deposit instead.
    """
    if stage is Stage.SUBMISSION:
        return DeadlineAction.CONFIRM_DEPOSIT
    if stage in BEFORE_DEPOSIT:
        return DeadlineAction.MARK_MISSED
    return DeadlineAction.NOTHING


def is_deadline_passed(deadline: datetime, now: datetime) -> bool:
    """Deposit platforms close at the deadline itself, so equality counts as passed."""
    _require_aware(deadline, "deadline")
    _require_aware(now, "now")
    return now.astimezone(timezone.utc) >= deadline.astimezone(timezone.utc)


def escalation_due_at(
    stage: Stage,
    last_activity_at: datetime,
    idle_limits_days: Mapping[Stage, int] = DEFAULT_IDLE_LIMIT_DAYS,
) -> datetime | None:
    """When (UTC) an idle case in `stage` must be escalated, or None (terminal stage, no limit)."""
    limit = idle_limits_days.get(Stage(stage))
    if limit is None:
        return None
    return shift_calendar_days(last_activity_at, limit)


def is_idle_too_long(
    stage: Stage,
    last_activity_at: datetime,
    now: datetime,
    idle_limits_days: Mapping[Stage, int] = DEFAULT_IDLE_LIMIT_DAYS,
) -> bool:
    _require_aware(now, "now")
    due = escalation_due_at(stage, last_activity_at, idle_limits_days)
    return due is not None and now.astimezone(timezone.utc) >= due
