"""Dates for tests that meet the real clock (PostgreSQL's ``now()``, a workflow's timers, a
route's "today"), built from it with margins so that a test passes at any hour, on any day,
in any time zone, and in the years to come.

A fixed date such as ``2027-01-26T12:00`` is a time bomb there: the day it passes, the tender
is closed, the case missed, the session started. Pure functions given their ``now`` keep
their fixed dates.

Days are counted in Europe/Paris (the platform's calendar), whatever the machine's zone:
``paris_at(30)`` is 12:00 Paris, 30 calendar days after today's Paris date — between 29 and
31 days away depending on the hour, so a rule counted in hours needs ``from_now`` instead.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from ..demo_dates import moved_to_today, paris_today  # noqa: F401 (one place)
from ..french import PARIS


def paris_now() -> datetime:
    """Now, in Europe/Paris, to the second."""
    return datetime.now(PARIS).replace(microsecond=0)


def paris_at(days: int, hour: int = 12, minute: int = 0) -> datetime:
    """``hour:minute`` Paris time, ``days`` calendar days after today in Paris (negative:
    before). An hour a daylight-saving change skips comes out one hour later."""
    day = paris_today() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=PARIS)


def from_now(*, days: float = 0, hours: float = 0, minutes: float = 0) -> datetime:
    """An exact duration from now (Paris, to the second): for rules counted in hours. Added
    in UTC: Python adds to a Paris datetime by wall clock, an hour off across a DST change."""
    moment = datetime.now(timezone.utc) + timedelta(days=days, hours=hours, minutes=minutes)
    return moment.astimezone(PARIS).replace(microsecond=0)


def same_time_days_before(moment: datetime, days: int) -> datetime:
    """The same Paris clock time ``days`` calendar days earlier (J-N of a deadline), its UTC
    offset that day's — what a reminder "J-7 at the deadline's hour" means."""
    wall_clock = moment.astimezone(PARIS).replace(tzinfo=None) - timedelta(days=days)
    return wall_clock.replace(tzinfo=PARIS)


