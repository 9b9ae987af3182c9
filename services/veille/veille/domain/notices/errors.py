"""The errors the normaliser raises.

Reasons are written in French because they end up in front of advisors
(import reports, CLI output, the quarantine).
"""

from __future__ import annotations

from typing import Any


class NoticeError(ValueError):
    """The input cannot be read as tender notices; `reason` says why, for a human."""

    def __init__(self, reason: str, *, source_name: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.source_name = source_name


class FieldTypeError(NoticeError):
    """A field holds a value of the wrong type (a list where text is due).

    Raised by the parsers with the field's name only; the reader of a
    document names the record (`RecordError`) and `normalize` the file.
    """

    def __init__(self, field: str, expected: str, value: Any):
        super().__init__(f"champ « {field} » : {expected} attendu, pas {type_name(value)}")
        self.field = field


class RecordError(NoticeError):
    """One record of a document cannot be read (the others can): names the file and the record."""

    def __init__(self, reason: str, *, record: str, position: int, source_name: str | None = None):
        super().__init__(f"{record} : {reason}", source_name=source_name)
        self.record = record
        self.position = position

    def __str__(self) -> str:
        return f"{self.source_name} : {self.reason}" if self.source_name else self.reason


def type_name(value: Any) -> str:
    """The JSON kind of a value, in French with its article: « une liste », « un objet »..."""
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, list):
        return "une liste"
    if isinstance(value, dict):
        return "un objet"
    if isinstance(value, (int, float)):
        return "un nombre"
    if value is None:
        return "null"
    return "du texte"
