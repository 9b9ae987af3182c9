"""A document read record by record: the notices, the records that failed, what went unread.

A feed page or an export holds many records; one that cannot be read must
not cost the others. The reader gives each failure with its position, the
record's name and its whole raw text (for the quarantine), and the parts of
readable records that were left unread because their shape is unknown
(a BOAMP `donnees` of a schema nobody foresaw) so that they are counted and
logged rather than silently read as empty.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable

from centrale.text import scrubbed

from .errors import NoticeError, RecordError
from .model import Notice

# What a parser may raise on a shape it did not foresee, besides NoticeError.
SHAPE_ERRORS = (KeyError, TypeError, ValueError, AttributeError, IndexError)


@dataclass
class RecordFailure:
    position: int  # 1-based, in the document's order
    record: str  # "enregistrement BOAMP « 26-1 » (n° 3)"
    reason: str
    raw: str  # the record's whole text, as JSON

    def error(self, source_name: str | None) -> RecordError:
        return RecordError(self.reason, record=self.record, position=self.position,
                           source_name=source_name)


@dataclass
class Unread:
    """A part of a readable notice that was not read (the notice comes from the rest)."""

    record: str
    what: str  # "donnees de forme inconnue (clés : FOO, BAR)"


@dataclass
class Reading:
    notices: list[Notice] = field(default_factory=list)
    failures: list[RecordFailure] = field(default_factory=list)
    unread: list[Unread] = field(default_factory=list)
    announced_total: int | None = None  # what the source said it holds (BOAMP total_count)


@dataclass(frozen=True)
class RecordFormat:
    """How to split a document into records and read one of them."""

    records: Callable[[Any], list]  # raises NoticeError when the document itself is wrong
    notice: Callable[[Any, int], Notice]  # (record, 1-based position) -> Notice
    label: Callable[[Any, int], str]  # how errors name the record
    announced_total: Callable[[Any], int | None] = lambda document: None
    whole_file: bool = False  # one record that is the file: its failure is the file's (raised)


def read_records(document: Any, form: RecordFormat) -> Reading:
    reading = Reading(announced_total=form.announced_total(document))
    for position, record in enumerate(form.records(document), 1):
        label = _label(form, record, position)
        if form.whole_file:
            notice = scrubbed(form.notice(record, position))
            reading.notices.append(notice)
            reading.unread.extend(Unread(label, what) for what in notice.unread)
            continue
        try:
            notice = form.notice(record, position)
        except NoticeError as error:
            reading.failures.append(RecordFailure(position, label, error.reason, raw_text(record)))
            continue
        except SHAPE_ERRORS as error:
            reason = f"structure inattendue ({error.__class__.__name__} : {error})"
            reading.failures.append(RecordFailure(position, label, reason, raw_text(record)))
            continue
        # Sources write control characters now and then (a pasted title): XML, the APIs and
        # the documents built from a notice cannot hold them.
        notice = scrubbed(notice)
        reading.notices.append(notice)
        reading.unread.extend(Unread(label, what) for what in notice.unread)
    return reading


def _label(form: RecordFormat, record: Any, position: int) -> str:
    try:
        return form.label(record, position)
    except SHAPE_ERRORS:
        return f"enregistrement n° {position}"


def raw_text(record: Any) -> str:
    """A record's whole text: JSON as the source wrote it (keys kept, accents kept)."""
    try:
        return json.dumps(record, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        return repr(record)
