"""When the session workflow acts: J-N reminders and the closing of registrations.

Reminders are « J-N »: N calendar days before the start, at the start's Paris clock time (a
9:00 session is recalled at 9:00 seven days and one day before, even across a daylight-saving
change, when that is not 7 x 24 h earlier). Registrations close ``close_hours`` real hours
before the start. Steps already past when the workflow plans them are dropped — except the
closing of registrations, which happens at once if the session has not started yet.
Instants are UTC, safe for timers; convert to Paris only to show them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum

from centrale.french import PARIS
from .registrations import DEFAULT_CLOSE_HOURS, registrations_close_at

DEFAULT_REMINDER_DAYS = (7, 1)
# After the session, the survey waits for the attendance sheet at most this long.
DEFAULT_SURVEY_WAIT = timedelta(hours=72)


class StepKind(StrEnum):
    REMINDER = "reminder"
    CLOSE_REGISTRATIONS = "close_registrations"


# At the same instant, the reminder goes before the closing.
_ORDER = {StepKind.REMINDER: 0, StepKind.CLOSE_REGISTRATIONS: 1}


@dataclass(frozen=True)
class Step:
    kind: StepKind
    at: datetime  # aware, UTC
    days_before: int | None = None  # reminders only

    @property
    def label(self) -> str:
        if self.kind is StepKind.REMINDER:
            return f"J-{self.days_before}"
        return "clôture des inscriptions"


def _aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def shift_calendar_days(moment: datetime, days: int) -> datetime:
    """The instant (UTC) at the same Paris clock time ``days`` calendar days later."""
    _aware(moment, "moment")
    wall_clock = moment.astimezone(PARIS).replace(tzinfo=None) + timedelta(days=days)
    return wall_clock.replace(tzinfo=PARIS).astimezone(timezone.utc)


def session_plan(starts_at: datetime, now: datetime,
                 reminder_days: Iterable[int] = DEFAULT_REMINDER_DAYS,
                 close_hours: Decimal | float | int = DEFAULT_CLOSE_HOURS) -> list[Step]:
    """The steps still to run before the session, in the order they must run."""
    _aware(starts_at, "starts_at")
    _aware(now, "now")
    days = sorted(set(reminder_days), reverse=True)
    if any(not isinstance(d, int) or d < 1 for d in days):
        raise ValueError("reminder days must be whole days >= 1")
    now = now.astimezone(timezone.utc)
    steps = [Step(StepKind.REMINDER, shift_calendar_days(starts_at, -d), d) for d in days]
    steps = [step for step in steps if step.at >= now]
    if now < starts_at:
        closing = max(registrations_close_at(starts_at, close_hours), now)
        steps.append(Step(StepKind.CLOSE_REGISTRATIONS, closing))
    return sorted(steps, key=lambda step: (step.at, _ORDER[step.kind]))


def move_refusal(status: str, starts_at: datetime, new_starts_at: datetime,
                 new_ends_at: datetime, now: datetime) -> str | None:
    """Why a session may not be moved to these dates (French), or None.

    Only a scheduled session that has not started may move, to a future start, and to dates
    other than its own. Registrations, the waitlist and the attendance to come keep."""
    for moment, name in ((starts_at, "starts_at"), (new_starts_at, "new_starts_at"),
                         (new_ends_at, "new_ends_at"), (now, "now")):
        _aware(moment, name)
    if status == "cancelled":
        return "Cette session a été annulée : programmez-en une nouvelle."
    if status != "scheduled" or now >= starts_at:
        return "Cette session a déjà commencé : elle ne peut plus être déplacée."
    if new_starts_at <= now:
        return "La nouvelle date de début doit être dans le futur."
    if new_ends_at <= new_starts_at:
        return "La fin doit suivre le début."
    return None
