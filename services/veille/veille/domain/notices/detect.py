"""Recognise a notice document from its content, never from its file name.

JSON is told apart by shape (BOAMP records have `idweb`, DECP has `marches`
or `acheteur`, OCDS has `releases`); XML by its root element's local name,
whatever namespace prefix it carries.
"""

from __future__ import annotations

import json
from typing import Any, Callable

from lxml import etree

from . import boamp_api, boamp_xml, decp, eforms, ocds, ted_xml
from .errors import NoticeError
from .model import Notice
from .reading import RecordFormat
from .safe_xml import local_name, parse_xml

Parser = Callable[[Any], list[Notice]]

EFORMS_ROOTS = {
    "ContractNotice", "PriorInformationNotice", "ContractAwardNotice", "BusinessRegistrationInformationNotice",
}

_UTF8_BOM = b"\xef\xbb\xbf"


def load_document(data: bytes) -> Any:
    """The parsed document: a JSON value, or the root element of safe XML."""
    head = data.lstrip(_UTF8_BOM).lstrip()
    if not head:
        raise NoticeError("fichier vide")
    if head[:1] in (b"{", b"["):
        try:
            return json.loads(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise NoticeError("JSON illisible : encodage UTF-8 attendu") from None
        except json.JSONDecodeError as error:
            raise NoticeError(f"JSON illisible ou tronqué : {error}") from None
        except RecursionError:
            raise NoticeError("JSON illisible : imbrication trop profonde") from None
    if head[:1] == b"<" or data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return parse_xml(data)
    raise NoticeError("format inconnu : ni JSON ni XML")


def format_for(document: Any) -> RecordFormat:
    """How to read `document` record by record, or NoticeError if no parser reads it.

    An XML notice file is one record: its failure is the file's.
    """
    if isinstance(document, etree._Element):
        parser = _xml_parser(document)
        return RecordFormat(records=lambda root: [root], notice=_whole_file(parser),
                            label=lambda root, position: f"<{local_name(root)}>", whole_file=True)
    return _json_format(document)


def _whole_file(parser: Parser) -> Callable[[Any, int], Notice]:
    def read_one(root: Any, _position: int) -> Notice:
        [notice] = parser(root)
        return notice
    return read_one


def _xml_parser(root: etree._Element) -> Parser:
    name = local_name(root)
    if name == "ANNONCE":
        return boamp_xml.notices_from_xml
    if name == "TED_EXPORT":
        return ted_xml.notices_from_xml
    if name in EFORMS_ROOTS:
        return eforms.notices_from_xml
    raise NoticeError(f"XML non reconnu : racine <{name}> (attendu ANNONCE, TED_EXPORT ou un avis eForms)")


def _looks_like_boamp(document: dict) -> bool:
    data = document.get("data")
    return (
        "idweb" in document
        or isinstance(document.get("results"), list)
        or isinstance(document.get("records"), list)
        or (isinstance(data, dict) and ("ok" in document or "status" in document))
    )


def _json_format(document: Any) -> RecordFormat:
    if isinstance(document, dict):
        if isinstance(document.get("releases"), list):
            return ocds.FORMAT
        if "marches" in document or "acheteur" in document or "autoriteConcedante" in document:
            return decp.FORMAT
        if _looks_like_boamp(document):
            return boamp_api.FORMAT
    if isinstance(document, list) and document and all(isinstance(item, dict) for item in document):
        # A page whose records all fail still names them: most records decide the shape.
        if sum("idweb" in item for item in document) * 2 > len(document):
            return boamp_api.FORMAT
        if sum("acheteur" in item or "autoriteConcedante" in item for item in document) * 2 > len(document):
            return decp.FORMAT
    raise NoticeError("JSON non reconnu : ni enregistrements BOAMP, ni marchés DECP, ni paquet OCDS")
