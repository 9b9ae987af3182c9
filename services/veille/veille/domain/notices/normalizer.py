"""The single entry point: bytes of any supported notice file -> Notices."""

from __future__ import annotations

from .detect import load_document, parser_for
from .errors import NoticeError
from .model import Notice

MAX_INPUT_BYTES = 20 * 1024 * 1024


def normalize(data: bytes, name: str, *, max_bytes: int = MAX_INPUT_BYTES) -> list[Notice]:
    """Read the notices held in `data` (BOAMP API JSON or XML, eForms, TED_EXPORT, DECP, OCDS).

    `name` identifies the input in errors (a file name, a URL); the format is
    recognised from the content only. Raises NoticeError, with a reason meant
    for humans, when the input is too large, empty, truncated, hostile
    (DOCTYPE/entities) or of no known shape. Size is checked before parsing.
    """
    if not isinstance(data, (bytes, bytearray)):
        raise NoticeError("entrée invalide : octets attendus", source_name=name)
    if len(data) > max_bytes:
        raise NoticeError(
            f"fichier trop volumineux : {len(data)} octets (limite {max_bytes})", source_name=name
        )
    try:
        document = load_document(bytes(data))
        return parser_for(document)(document)
    except NoticeError as error:
        error.source_name = name
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as error:
        # A shape the parsers did not foresee: report it rather than crash the caller.
        raise NoticeError(f"structure inattendue ({error.__class__.__name__} : {error})", source_name=name) from error
