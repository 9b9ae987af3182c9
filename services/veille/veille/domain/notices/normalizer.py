"""The entry points: bytes of any supported notice file -> Notices.

`read` gives a document record by record (the notices, the records that
failed, the parts left unread); `normalize` is its strict form, for callers
that want all or nothing.
"""

from __future__ import annotations

from .detect import format_for, load_document
from .errors import NoticeError
from .model import Notice
from .reading import SHAPE_ERRORS, Reading, read_records

MAX_INPUT_BYTES = 20 * 1024 * 1024


def read(data: bytes, name: str, *, max_bytes: int = MAX_INPUT_BYTES) -> Reading:
    """Read the notices held in `data` (BOAMP API JSON or XML, eForms, TED_EXPORT, DECP, OCDS).

    `name` identifies the input in errors (a file name, a URL); the format is
    recognised from the content only. Raises NoticeError, with a reason meant
    for humans, when the document as a whole cannot be read: too large, empty,
    truncated, hostile (DOCTYPE/entities) or of no known shape. Size is
    checked before parsing. A record that cannot be read is a failure of the
    Reading, not an exception: the other records are still read.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise NoticeError("entrée invalide : octets attendus", source_name=name)
    if len(data) > max_bytes:
        raise NoticeError(
            f"fichier trop volumineux : {len(data)} octets (limite {max_bytes})", source_name=name
        )
    try:
        document = load_document(bytes(data))
        return read_records(document, format_for(document))
    except NoticeError as error:
        error.source_name = name
        raise
    except SHAPE_ERRORS as error:
        # A shape the parsers did not foresee: report it rather than crash the caller.
        raise NoticeError(f"structure inattendue ({error.__class__.__name__} : {error})", source_name=name) from error


def normalize(data: bytes, name: str, *, max_bytes: int = MAX_INPUT_BYTES) -> list[Notice]:
    """The notices of `data`, or NoticeError if the document or any of its records cannot be read.

    The error of a bad record names the file and the record
    (« page.json : enregistrement BOAMP « 26-1 » (n° 3) : champ « objet » : texte attendu, liste reçu »).
    """
    reading = read(data, name, max_bytes=max_bytes)
    if reading.failures:
        raise reading.failures[0].error(name)
    return reading.notices
