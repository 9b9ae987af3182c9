"""Amounts of money: always Decimal euros rounded to the cent, never float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")

# Spaces (plain, no-break, narrow no-break) group thousands in French input.
_GROUPING = re.compile(r"[\s\u00a0\u202f]")


class InvalidAmount(ValueError):
    """An amount that cannot be read as a non-negative number of euros."""


def euros(value: Decimal | int | str) -> Decimal:
    """Read an amount in euros ("12 500,50", "12500.5", 12500, Decimal) to the cent.

    Floats are refused on purpose: they would carry binary rounding into money.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise InvalidAmount("Montant invalide : saisissez un nombre décimal exact, pas un flottant.")
    if isinstance(value, str):
        text = _GROUPING.sub("", value.strip()).removesuffix("€").replace(",", ".")
        try:
            amount = Decimal(text)
        except InvalidOperation:
            raise InvalidAmount(f"Montant invalide : « {value} » n'est pas un nombre.") from None
    else:
        amount = Decimal(value)
    if not amount.is_finite():
        raise InvalidAmount("Montant invalide : le nombre doit être fini.")
    if amount < 0:
        raise InvalidAmount("Montant invalide : un montant ne peut pas être négatif.")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)
