"""Recorded data made to happen now: the demo's notices (and the tests' recorded ones) were
written around a day of their own; loaded as they are, they would all be closed a few weeks
later, and the demo would show a territory where nothing is open. Their dates are moved by
whole weeks so that their day falls this week, which keeps their intervals and weekdays."""

from __future__ import annotations

import math
import re
from datetime import date, datetime, timedelta

from .french import PARIS

_ISO_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})(?!\d)")


def paris_today() -> date:
    """Today's date in Europe/Paris (not the machine's ``date.today()``)."""
    return datetime.now(PARIS).date()


def weeks_since(anchor: date) -> int:
    """Whole weeks to add to ``anchor`` so that it falls today or within the next six days."""
    return max(0, math.ceil((paris_today() - anchor).days / 7))


def moved_to_today(text: str, anchor: date) -> str:
    """Every ISO date of ``text`` (``YYYY-MM-DD``, alone or starting a datetime) moved by
    :func:`weeks_since` ``anchor``. A clock time written with its winter offset may come out an
    hour off in summer."""
    weeks = weeks_since(anchor)

    def moved(found: re.Match) -> str:
        day = date(*(int(part) for part in found.groups())) + timedelta(weeks=weeks)
        return day.isoformat()

    return _ISO_DATE.sub(moved, text)
