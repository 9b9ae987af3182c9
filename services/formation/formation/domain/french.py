"""Dates, times and durations written the French way, always in Europe/Paris."""

from __future__ import annotations

from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from centrale.french import PARIS, long_date, paris  # noqa: F401 — shared, re-exported
from centrale.french import clock as _clock


def clock(moment: datetime) -> str:
    """« 9 h », « 13 h 30 » in Paris time (whole hours without minutes)."""
    return _clock(moment, minutes_always=False)


def time_span(starts_at: datetime, ends_at: datetime) -> str:
    """« le jeudi 4 mars 2027, de 9 h à 17 h », or « du lundi 1er mars 2027 à 9 h au mardi
    2 mars 2027 à 17 h » when the session spans several days."""
    start, end = paris(starts_at), paris(ends_at)
    if start.date() == end.date():
        return f"le {long_date(start)}, de {clock(start)} à {clock(end)}"
    return f"du {long_date(start)} à {clock(start)} au {long_date(end)} à {clock(end)}"


def hours(value: Decimal | int | float) -> str:
    """A duration in hours: « 7 h », « 3 h 30 », « 0 h 45 »; « 10,5 h » is never written."""
    minutes = int((Decimal(str(value)) * 60).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    whole, rest = divmod(minutes, 60)
    return f"{whole} h" if rest == 0 else f"{whole} h {rest:02d}"


def decimal_comma(value: Decimal | float, places: int = 1) -> str:
    """4,3 — a decimal comma, trailing zeros dropped."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")
