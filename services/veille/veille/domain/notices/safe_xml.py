"""Parse untrusted XML without letting it expand entities or read files.

Notices come from outside (feeds, uploads). Two layers protect us:

1. Any DOCTYPE is refused before parsing. No notice format we read (BOAMP,
   eForms, TED_EXPORT) uses one, and a DOCTYPE is where entity bombs
   ("billion laughs") and external entities (`SYSTEM "file:///etc/passwd"`)
   live. The check also looks for UTF-16/32 spellings, and again after
   parsing in case an exotic encoding hid the declaration from the byte scan.
2. The lxml parser itself never resolves entities, never loads a DTD, never
   touches the network and keeps libxml2's size limits (`huge_tree=False`).
"""

from __future__ import annotations

import re

from lxml import etree

from .errors import NoticeError

_MARKUP_DECLARATIONS = ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
_WIDE_ENCODINGS = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")
_DECLARATION_PATTERNS = [re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)] + [
    re.compile(re.escape(word.encode(encoding)))
    for encoding in _WIDE_ENCODINGS
    for word in _MARKUP_DECLARATIONS
]


def secure_parser() -> etree.XMLParser:
    """The only XML parser the normaliser uses."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def parse_xml(data: bytes) -> etree._Element:
    """Parse `data` and return the root element, or raise NoticeError."""
    if not data.strip():
        raise NoticeError("fichier vide")
    if any(pattern.search(data) for pattern in _DECLARATION_PATTERNS):
        raise NoticeError("XML refusé : déclaration DOCTYPE/ENTITY interdite (risque d'expansion d'entités)")
    try:
        root = etree.fromstring(data, secure_parser())
    except etree.XMLSyntaxError as error:
        raise NoticeError(f"XML illisible ou tronqué : {error}") from None
    except ValueError as error:  # e.g. an encoding declaration lxml refuses
        raise NoticeError(f"XML illisible : {error}") from None
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise NoticeError("XML refusé : déclaration DOCTYPE interdite")
    return root


def local_name(element: etree._Element) -> str:
    """The tag without its namespace: "{urn:...}ContractNotice" -> "ContractNotice"."""
    return etree.QName(element).localname
