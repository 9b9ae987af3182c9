"""Bridges between the XML and JSON spellings of the same notice formats.

The BOAMP API serves as JSON what BOAMP publishes as XML: `donnees` of an
old record is the Boamp_v230 XML turned into JSON (attributes as "@NAME",
text as "#text", one child an object, several a list), and `donnees` of an
eForms record is the UBL XML turned into JSON the same way, namespace
prefixes kept in the keys ("cac:ProcurementProject"). Converting one way or
the other lets a single mapping read both spellings.
"""

from __future__ import annotations

from typing import Any

from lxml import etree

from .safe_xml import local_name

UBL_NAMESPACES = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
}


def xml_to_dict(element: etree._Element) -> Any:
    """An element -> the JSON shape the BOAMP API uses for the same XML.

    Namespaces are dropped (BOAMP's schema has none). An empty element gives
    "", a text-only element its text, anything else a dict.
    """
    children = [child for child in element if isinstance(child.tag, str)]
    attributes = {f"@{etree.QName(name).localname}": value for name, value in element.attrib.items()}
    text = (element.text or "").strip()
    if not children and not attributes:
        return text
    result: dict[str, Any] = dict(attributes)
    for child in children:
        key, value = local_name(child), xml_to_dict(child)
        if key in result:
            if not isinstance(result[key], list):
                result[key] = [result[key]]
            result[key].append(value)
        else:
            result[key] = value
    if text:
        result["#text"] = text
    return result


def ubl_from_json(root_name: str, content: Any) -> etree._Element:
    """An eForms notice in the BOAMP API's JSON spelling -> a UBL element tree.

    Keys keep their namespace prefix ("cbc:ID"), attributes are "@name" and
    text "#text". Unknown prefixes are dropped rather than guessed.
    """
    root = etree.Element(_qualified(root_name))
    _fill(root, content)
    return root


def _qualified(key: str) -> str:
    prefix, _, name = key.rpartition(":")
    namespace = UBL_NAMESPACES.get(prefix)
    return f"{{{namespace}}}{name}" if namespace else name


def _fill(element: etree._Element, content: Any) -> None:
    if isinstance(content, dict):
        for key, value in content.items():
            if key == "#text":
                element.text = _text(value)
            elif key.startswith("@"):
                name = key[1:].rpartition(":")[2]
                if not key.startswith("@xmlns") and value is not None:
                    element.set(name, _text(value))
            else:
                for item in value if isinstance(value, list) else [value]:
                    _fill(etree.SubElement(element, _qualified(key)), item)
    elif content is not None:
        element.text = _text(content)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
