"""What the platform accepts as an uploaded file, and under which name it keeps it — once for
every service that stores files (today accompagnement's vault).

- **The type is read from the bytes** (``filetype``: magic numbers, and for office documents the
  parts inside their ZIP or OLE container), never taken from the name or the type the client
  claims: HTML posing as PDF is refused. Only :data:`ACCEPTED` types are kept — PDF, raster
  images (no SVG: an SVG is a document that may carry a script), office documents (Word,
  Excel, PowerPoint, OpenDocument).
- **The name is cleaned** (:func:`safe_filename`): no directory (``../../etc/passwd`` is
  ``passwd``), no control or bidirectional-override character (``facture\\u202efdp.exe`` would
  read « facture.pdf » and be an ``.exe``), none of the characters a file system forbids, a
  bounded length, and the extension of the type found.
- Files are served back as attachments with the type found (``attachment_headers``), never
  rendered by the browser.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

import filetype

# The type found -> the extensions a name of that type may end with (the first one is added
# when the name has none of them).
ACCEPTED: dict[str, tuple[str, ...]] = {
    "application/pdf": ("pdf",),
    "image/png": ("png",),
    "image/jpeg": ("jpg", "jpeg"),
    "image/gif": ("gif",),
    "image/webp": ("webp",),
    "image/tiff": ("tif", "tiff"),
    "application/msword": ("doc",),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ("docx",),
    "application/vnd.ms-excel": ("xls",),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ("xlsx",),
    "application/vnd.ms-powerpoint": ("ppt",),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ("pptx",),
    "application/vnd.oasis.opendocument.text": ("odt",),
    "application/vnd.oasis.opendocument.spreadsheet": ("ods",),
    "application/vnd.oasis.opendocument.presentation": ("odp",),
}
REFUSED_TYPE_MESSAGE = ("Type de fichier refusé : seuls les PDF, les images (PNG, JPEG, GIF, "
                        "WebP, TIFF) et les documents bureautiques (Word, Excel, PowerPoint, "
                        "OpenDocument) sont acceptés.")
MAX_NAME_LENGTH = 120

# Control characters, and the marks that reorder or hide text (bidirectional overrides and
# isolates, zero-width characters, the BOM).
_INVISIBLE = re.compile("[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e"
                        "\u2060-\u2069\ufeff\ufff0-\uffff\ud800-\udfff]")
# What Windows, macOS or a shell would read otherwise.
_RESERVED = re.compile(r'[<>:"/\\|?*]+')


class RefusedFile(ValueError):
    """The file is not of an accepted type; the message says so in French."""


def accepted_type(content: bytes) -> str | None:
    """The type of ``content`` read from its bytes, if it is one the platform accepts."""
    found = filetype.guess(content[:8192] if len(content) > 8192 else content)
    if found is None or found.mime not in ACCEPTED:
        return None
    return found.mime


def checked_type(content: bytes) -> str:
    """The accepted type of ``content``; raises :class:`RefusedFile` otherwise."""
    mime = accepted_type(content)
    if mime is None:
        raise RefusedFile(REFUSED_TYPE_MESSAGE)
    return mime


def safe_filename(name: str | None, mime: str) -> str:
    """``name`` as the platform keeps it: its last path part, without invisible or reserved
    characters, at most :data:`MAX_NAME_LENGTH` characters, ending with an extension of
    ``mime`` (added when missing or wrong: ``photo.exe`` of a PNG is ``photo.exe.png``; a type
    not accepted ends in ``.bin``)."""
    extensions = ACCEPTED.get(mime, ("bin",))
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = _INVISIBLE.sub("", text)
    text = _RESERVED.sub("_", text)
    text = " ".join(text.split()).strip(" .")
    stem, dot, extension = text.rpartition(".")
    if not dot or extension.lower() not in extensions:
        stem, extension = text, extensions[0]
    stem = stem.strip(" .")[:MAX_NAME_LENGTH - len(extension) - 1].rstrip(" .") or "document"
    return f"{stem}.{extension.lower()}"


def attachment_disposition(filename: str) -> str:
    """A Content-Disposition that downloads ``filename`` (an ASCII fallback, then UTF-8)."""
    fallback = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"


@dataclass(frozen=True)
class Served:
    """How a stored file goes back to a browser."""

    mimetype: str
    headers: dict[str, str]


def served(content: bytes, filename: str | None, fallback_name: str) -> Served:
    """The type read again from the bytes (files stored before they were checked carry the
    type their client claimed: anything not accepted goes as ``application/octet-stream``),
    always as an attachment, never sniffed."""
    mime = accepted_type(content) or "application/octet-stream"
    name = safe_filename(filename or fallback_name, mime)
    return Served(mime, {"Content-Disposition": attachment_disposition(name),
                         "X-Content-Type-Options": "nosniff"})
