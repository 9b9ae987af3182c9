"""Dates and times written the French way, always read in Europe/Paris — pure functions that
every service (and every service's pure domain) may use.

« lundi 20 janvier 2027 à 12 h 00 »: the day of the week avoids a wrong guess; « 1er » for
the first of the month.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
          "septembre", "octobre", "novembre", "décembre")


def paris(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("a timezone-aware datetime is expected")
    return moment.astimezone(PARIS)


def parse_instant(text: str | None) -> datetime | None:
    """An ISO 8601 instant; a value without offset is read as Paris time; junk gives None."""
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        moment = moment.replace(tzinfo=PARIS)
    return moment


def long_date(day: date | datetime) -> str:
    """« lundi 20 janvier 2027 » (« 1er » for the first of the month)."""
    if isinstance(day, datetime):
        day = paris(day).date()
    number = "1er" if day.day == 1 else str(day.day)
    return f"{WEEKDAYS[day.weekday()]} {number} {MONTHS[day.month - 1]} {day.year}"


def clock(moment: datetime, minutes_always: bool = True) -> str:
    """« 12 h 00 » (or « 12 h » with ``minutes_always=False``), « 9 h 30 », in Paris time."""
    local = paris(moment)
    if local.minute == 0 and not minutes_always:
        return f"{local.hour} h"
    return f"{local.hour} h {local.minute:02d}"


def long_datetime(moment: datetime) -> str:
    """« lundi 20 janvier 2027 à 12 h 00 » in Paris time."""
    return f"{long_date(moment)} à {clock(moment)}"
