"""Small value readers shared by the parsers: amounts, SIRET, text."""

from __future__ import annotations

import html
import re
from typing import Any

from .errors import FieldTypeError
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


def text_field(record: dict, key: str) -> str | None:
    """A field that must hold text (or a number written as one), None when absent or empty.

    A list or an object where text is due is an error naming the field: read
    as text it would become "['a', 'b']", silently wrong.
    """
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FieldTypeError(key, "texte", value)
    return str(value)


def texts_field(record: dict, key: str) -> list[str]:
    """A field that holds text or a list of texts (BOAMP's `code_departement`, `titulaire`)."""
    value = record.get(key)
    if value is None or value == "":
        return []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int, float)):
            raise FieldTypeError(key, "texte ou liste de textes", value)
    return [str(item) for item in items if str(item).strip()]


def number_field(record: dict, key: str) -> Any:
    """A field that must hold a number (or text that reads as one): returned as given."""
    value = record.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FieldTypeError(key, "nombre", value)
    return value


def object_field(record: dict, key: str) -> dict:
    """A field that must hold an object, {} when absent."""
    value = record.get(key)
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise FieldTypeError(key, "objet", value)
    return value


def list_field(record: dict, key: str) -> list:
    """A field that must hold a list, [] when absent (one object alone counts as a list of one)."""
    value = record.get(key)
    if value is None or value == "":
        return []
    if isinstance(value, dict):
        return [value]
    if not isinstance(value, list):
        raise FieldTypeError(key, "liste", value)
    return value


def months(value: Any) -> int | None:
    """A duration in months as sources write it (48, "48", "NC") -> int, None when unknown."""
    text = str(value if value is not None else "").strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return int(text) if text.isdigit() and int(text) > 0 else None
