"""The CPV vocabulary: codes of 8 digits (check digit dropped), French labels, hierarchy.

Two formats are read: the eForms SDK code-list translations (a Java-properties XML whose keys
are ``code|name|cpv.90911200``) and the official CPV 2008 publication in XML
(``<CPV CODE="90911200-8"><TEXT LANG="FR">…</TEXT></CPV>``). The parent of a code is the code
with its last significant digit zeroed (``90911200`` → ``90911000`` → ``90910000``…), down
to the division (two digits).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .notices.errors import NoticeError
from .notices.safe_xml import parse_xml

# The Java-properties files name their public DTD; it is never loaded (the parser reads no DTD
# and reaches no network), and no other DOCTYPE is accepted.
_JAVA_PROPERTIES_DOCTYPE = re.compile(
    rb'<!DOCTYPE properties SYSTEM "http://java\.sun\.com/dtd/properties\.dtd">')
_EFORMS_KEY = re.compile(r"^code\|name\|cpv\.(\d{8})$")
_OFFICIAL_CODE = re.compile(r"^(\d{8})(-\d)?$")


@dataclass(frozen=True)
class CpvEntry:
    code: str
    label_fr: str
    label_en: str | None = None

    @property
    def parent(self) -> str | None:
        return cpv_parent(self.code)


def cpv_parent(code: str) -> str | None:
    significant = code.rstrip("0")
    if len(significant) <= 2:
        return None
    parent = significant[:-1].rstrip("0")
    parent = parent if len(parent) >= 2 else significant[:2]
    return parent.ljust(8, "0")


def read_cpv_file(data: bytes, name: str) -> list[CpvEntry]:
    """The CPV entries of an eForms translation file or an official CPV XML file."""
    data = _JAVA_PROPERTIES_DOCTYPE.sub(b"", data, count=1)
    try:
        root = parse_xml(data)
    except NoticeError as exc:
        raise ValueError(str(exc)) from exc
    entries: dict[str, CpvEntry] = {}
    for element in root.iter():
        tag = element.tag if isinstance(element.tag, str) else ""
        local = tag.rsplit("}", 1)[-1]
        if local == "entry":
            match = _EFORMS_KEY.match(element.get("key", ""))
            if match and (element.text or "").strip():
                entries[match.group(1)] = CpvEntry(match.group(1), element.text.strip())
        elif local == "CPV":
            match = _OFFICIAL_CODE.match(element.get("CODE", ""))
            if not match:
                continue
            texts = {text.get("LANG", "").upper(): (text.text or "").strip()
                     for text in element if str(text.tag).rsplit("}", 1)[-1] == "TEXT"}
            if texts.get("FR"):
                entries[match.group(1)] = CpvEntry(match.group(1), texts["FR"], texts.get("EN"))
    if not entries:
        raise ValueError(f"{name} : aucun code CPV reconnu (fichier eForms ou CPV officiel attendu)")
    return sorted(entries.values(), key=lambda e: e.code)
