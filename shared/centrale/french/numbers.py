"""Amounts, decimals, plurals and small phrases written the French way.

Plain spaces are used as separators (not the typographic narrow no-break space) so that
messages stay easy to compare in tests and to copy-paste; a page may typeset them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")


def euros(amount: str | Decimal | int | float | None) -> str | None:
    """« 12 500,00 € » — thousands grouped by spaces, two decimals; None when there is no
    amount or it cannot be read (the caller says « — » or leaves the sentence out)."""
    if amount is None or amount == "":
        return None
    try:
        cents = Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return None
    grouped = f"{cents:,.2f}"  # 12,500.00
    return grouped.replace(",", " ").replace(".", ",") + " €"


def whole_number(value: int) -> str:
    """« 12 500 » — a count, thousands grouped by spaces."""
    return f"{int(value):,}".replace(",", " ")


def decimal_comma(value: Decimal | int | float, places: int = 1) -> str:
    """« 72,5 » — a decimal comma, trailing zeros dropped (« 72 » rather than « 72,0 »)."""
    quantum = Decimal(1).scaleb(-places)
    text = f"{Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """« 1 jour », « 3 jours » (French: 0 and 1 take the singular)."""
    word = singular if abs(count) <= 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def quoted(label: str) -> str:
    """« Diagnostic » — French quotation marks with their inner spaces."""
    return f"« {label} »"


def join_with_et(items: Iterable[str]) -> str:
    """« a », « a et b », « a, b et c »."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " et " + items[-1]
