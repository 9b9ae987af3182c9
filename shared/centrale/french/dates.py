"""Dates, times and durations written the French way, always read in Europe/Paris.

« lundi 20 janvier 2027 à 12 h 00 » is how a deadline reads everywhere (a refusal, an email, a
page): the day of the week avoids a wrong guess, the clock is written with « h », « 1er » for
the first of the month. « 20/01/2027 » (:func:`short_date`) is for table columns only.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
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


def short_date(day: date | datetime) -> str:
    """« 20/01/2027 », for a column of a table (a sentence says :func:`long_date`)."""
    if isinstance(day, datetime):
        day = paris(day).date()
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def spreadsheet_datetime(moment: datetime) -> str:
    """« 20/01/2027 12:00 » in Paris time: what a spreadsheet set to French reads as a date
    and a time (a CSV export's cell; a page says :func:`long_datetime`)."""
    local = paris(moment)
    return f"{short_date(local)} {local.hour:02d}:{local.minute:02d}"


def clock(moment: datetime, minutes_always: bool = True) -> str:
    """« 12 h 00 » (or « 12 h » with ``minutes_always=False``), « 9 h 30 », in Paris time."""
    local = paris(moment)
    if local.minute == 0 and not minutes_always:
        return f"{local.hour} h"
    return f"{local.hour} h {local.minute:02d}"


def long_datetime(moment: datetime) -> str:
    """« lundi 20 janvier 2027 à 12 h 00 » in Paris time: every deadline, every instant."""
    return f"{long_date(moment)} à {clock(moment)}"


def time_span(starts_at: datetime, ends_at: datetime) -> str:
    """« le jeudi 4 mars 2027, de 9 h à 17 h », or « du lundi 1er mars 2027 à 9 h au mardi
    2 mars 2027 à 17 h » when it spans several days: how a training session's dates read."""
    start, end = paris(starts_at), paris(ends_at)
    if start.date() == end.date():
        return (f"le {long_date(start)}, de {clock(start, minutes_always=False)} "
                f"à {clock(end, minutes_always=False)}")
    return (f"du {long_date(start)} à {clock(start, minutes_always=False)} "
            f"au {long_date(end)} à {clock(end, minutes_always=False)}")


def hours(value: Decimal | int | float) -> str:
    """A duration in hours: « 7 h », « 3 h 30 », « 0 h 45 »; « 10,5 h » is never written."""
    minutes = int((Decimal(str(value)) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    whole, rest = divmod(minutes, 60)
    return f"{whole} h" if rest == 0 else f"{whole} h {rest:02d}"


def countdown(days: int) -> str:
    """« aujourd'hui », « demain », « dans 7 jours »; past days: « hier », « il y a 2 jours »."""
    if days == 0:
        return "aujourd'hui"
    if days == 1:
        return "demain"
    if days == -1:
        return "hier"
    if days < 0:
        return f"il y a {-days} jours"
    return f"dans {days} jours"


def recurrence(every: timedelta) -> str:
    """« toutes les heures », « toutes les 6 heures », « tous les jours », « tous les 2 jours »,
    « toutes les 30 minutes »: how often something recurs."""
    minutes = int(every.total_seconds() // 60)
    if minutes <= 0:
        raise ValueError("a recurrence is a positive duration")
    days, rest = divmod(minutes, 24 * 60)
    if rest == 0:
        return "tous les jours" if days == 1 else f"tous les {days} jours"
    if minutes % 60 == 0:
        count = minutes // 60
        return "toutes les heures" if count == 1 else f"toutes les {count} heures"
    return f"toutes les {minutes} minutes"
