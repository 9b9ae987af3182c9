"""Dates, amounts and small phrases written the French way, always read in Europe/Paris.

« lundi 20 janvier 2027 à 12 h 00 » is how a deadline is written in every message: the day of
the week avoids a wrong guess, the clock is written with « h » and two-digit minutes. Plain
spaces are used (not the narrow no-break space) so messages stay easy to compare and copy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from centrale.french import (MONTHS, PARIS, WEEKDAYS, clock, long_date,  # noqa: F401
                             long_datetime, paris, parse_instant)


def countdown(days: int) -> str:
    """« aujourd'hui », « demain », « dans 7 jours »; past days: « il y a 2 jours »."""
    if days == 0:
        return "aujourd'hui"
    if days == 1:
        return "demain"
    if days == -1:
        return "hier"
    if days < 0:
        return f"il y a {-days} jours"
    return f"dans {days} jours"


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 jour », « 3 jours » (French: 0 and 1 take the singular)."""
    word = singular if abs(count) <= 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def euros(amount: str | Decimal | int | None) -> str | None:
    """« 12 500,00 € » — thousands grouped by spaces, two decimals; None if unreadable."""
    if amount is None or amount == "":
        return None
    try:
        cents = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None
    grouped = f"{cents:,.2f}"  # 12,500.00
    return grouped.replace(",", " ").replace(".", ",") + " €"


def decimal_comma(value: float | Decimal, places: int = 1) -> str:
    """« 72,5 » — a decimal comma, trailing zeros dropped."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def quoted(label: str) -> str:
    """« Diagnostic » — French quotation marks with their inner spaces."""
    return f"« {label} »"


def join_with_et(items: Sequence[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " et " + items[-1]
