"""Formation's Temporal Schedules (``formation schedules [--dry-run]``, through
:mod:`centrale.schedules`): none — each session's own workflow plans its reminders, its
closing and its survey from the session's dates."""

from __future__ import annotations

from centrale.schedules import PlannedSchedule
from centrale.settings import Settings


def planned(settings: Settings) -> list[PlannedSchedule]:
    return []
