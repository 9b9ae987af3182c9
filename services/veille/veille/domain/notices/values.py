"""Small value readers shared by the parsers: amounts, SIRET, text."""

from __future__ import annotations

import html
import re
from typing import Any

from .model import Money

_AMOUNT = re.compile(r"^-?\d+(?:\.\d+)?$")


def money(amount: Any, currency: str | None = "EUR") -> Money | None:
    """An amount as sources write it ("1 000,50", "0.00", 575000) -> Money.

    Zero and negative amounts are placeholders in real data (BOAMP lots carry
    "0.00" when the buyer gave no estimate): they mean "unknown", hence None.
    """
    if amount is None or isinstance(amount, bool):
        return None
    text = re.sub(r"[\s\u00a0\u202f]", "", str(amount)).replace(",", ".")
    if not _AMOUNT.match(text):
        return None
    value = float(text)
    if value <= 0:
        return None
    return Money(value, (currency or "EUR").strip().upper() or "EUR")


def siret(identifier: Any) -> str | None:
    """A 14-digit SIRET from an identifier as written ("214 202 079 00018"), else None.

    Nine-digit SIRENs and foreign company numbers are not SIRETs; they are
    left out rather than padded or guessed.
    """
    digits = re.sub(r"[\s.\-\u00a0]", "", str(identifier or ""))
    return digits if re.fullmatch(r"\d{14}", digits) else None


def clean_text(value: Any) -> str:
    """Text with HTML entities decoded and runs of blanks collapsed, keeping line breaks."""
    if value is None:
        return ""
    text = html.unescape(str(value))
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line).strip()


def first_line(text: str | None, limit: int = 200) -> str:
    """The first line of a text, cut at `limit` characters: a title for lots that only have a description."""
    line = clean_text(text).split("\n")[0] if text else ""
    return line if len(line) <= limit else line[: limit - 1].rstrip() + "…"
