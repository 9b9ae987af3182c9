"""What a text may hold, once for the whole platform: tabs and line breaks, never another
control character (C0, DEL, C1), a noncharacter (U+FFFE, U+FFFF) or a lone surrogate. They
break the XML documents built from text (``.docx``, emails, Atom feeds) and mean nothing in a
name or a note.

The APIs refuse such text (``centrale.schemas``, 422 in French); what comes from elsewhere —
imported notices, rows written before the APIs refused it — is cleaned with
:func:`without_control_characters` or, for a whole record, :func:`scrubbed`.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any

# The class of forbidden characters as JSON Schema can write it (lone surrogates apart: JSON
# Schema cannot name them).
FORBIDDEN_CLASS = "\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f-\\u009f\\ufffe\\uffff"
TEXT_PATTERN = f"^[^{FORBIDDEN_CLASS}]*$"
_FORBIDDEN = re.compile(f"[{FORBIDDEN_CLASS}\\ud800-\\udfff]")


def first_forbidden(text: str) -> int | None:
    """The 0-based position of the first forbidden character of ``text``, or None."""
    found = _FORBIDDEN.search(text)
    return found.start() if found else None


def without_control_characters(text: str) -> str:
    """``text`` without the characters it may not hold (tabs and line breaks stay)."""
    return _FORBIDDEN.sub("", text)


def scrubbed(value: Any) -> Any:
    """``value`` with every text in it cleaned: strings, and the strings inside lists, tuples,
    dictionaries (keys too) and dataclasses, at any depth; anything else as it is."""
    if isinstance(value, str):
        return without_control_characters(value) if _FORBIDDEN.search(value) else value
    if isinstance(value, list):
        return [scrubbed(item) for item in value]
    if isinstance(value, tuple):
        items = [scrubbed(item) for item in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, dict):
        return {scrubbed(key): scrubbed(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {field.name: scrubbed(getattr(value, field.name))
                   for field in dataclasses.fields(value) if field.init}
        return dataclasses.replace(value, **changes)
    return value
