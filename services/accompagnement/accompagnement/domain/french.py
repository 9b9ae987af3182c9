"""French wording helpers shared by the domain's user-facing messages.

Plain spaces are used as separators (not the typographic narrow no-break
space) so that messages stay easy to compare in tests and to copy-paste; the
web front may typeset them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

CENT = Decimal("0.01")


def format_date(day: date) -> str:
    """20/01/2027."""
    return day.strftime("%d/%m/%Y")


def format_datetime(moment: datetime) -> str:
    """20/01/2027 à 12:00, in Paris time whatever the input's zone."""
    local = moment.astimezone(PARIS)
    return f"{local:%d/%m/%Y} à {local:%H:%M}"


def format_decimal(value: Decimal | int, places: int = 1) -> str:
    """72,5 — a decimal comma, trailing ",0" dropped (72 rather than 72,0)."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(value).quantize(quantum, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def format_euros(amount: Decimal | int) -> str:
    """12 500,00 € — thousands grouped by spaces, two decimals."""
    cents = Decimal(amount).quantize(CENT, rounding=ROUND_HALF_UP)
    grouped = f"{cents:,.2f}"  # 12,500.00
    return grouped.replace(",", " ").replace(".", ",") + " €"


def quoted(label: str) -> str:
    """« Diagnostic » — French quotation marks with their inner spaces."""
    return f"« {label} »"


def join_with_et(items: Sequence[str]) -> str:
    """'a', 'a et b', 'a, b et c'."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " et " + items[-1]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 jour', '3 jours' (French: 0 and 1 take the singular)."""
    word = singular if abs(count) <= 1 else (plural_form or singular + "s")
    return f"{count} {word}"
