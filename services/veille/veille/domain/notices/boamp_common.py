"""What every BOAMP shape shares: XML-as-JSON navigation, notice types, merging.

BOAMP data is XML turned into JSON (or read as XML and turned into the same
dicts, see `trees.xml_to_dict`): one child is an object, several a list,
flags are empty elements (`{"OUVERT": ""}`, `{"oui": ""}`), texts with
attributes are `{"@DEVISE": "EUR", "#text": "350000"}`.
"""

from __future__ import annotations

from typing import Any, Iterator

from .codes import plain
from .model import Notice

BOAMP_NOTICE_URL = "https://www.boamp.fr/pages/avis/?q=idweb:{idweb}"


def each(node: Any) -> list:
    """A node that may be one object or a list of them, as a list."""
    if node is None:
        return []
    return node if isinstance(node, list) else [node]


def dig_all(node: Any, path: str) -> list:
    """Every value at `path` ("OBJET/LOTS/LOT"), walking through lists."""
    nodes = each(node)
    for key in path.split("/"):
        nodes = [found for item in nodes if isinstance(item, dict) and key in item for found in each(item[key])]
    return nodes


def dig(node: Any, path: str) -> Any:
    found = dig_all(node, path)
    return found[0] if found else None


def text_of(node: Any) -> str | None:
    """The text of a leaf: a string, a number, or {"#text": ...}."""
    if isinstance(node, dict):
        node = node.get("#text")
    if node is None or isinstance(node, (dict, list, bool)):
        return None
    text = str(node).strip()
    return text or None


def keys_of(node: Any) -> list[str]:
    """The flag names under a node: {"OUVERT": ""} -> ["OUVERT"] (attributes skipped)."""
    return [key for item in each(node) if isinstance(item, dict) for key in item if not key.startswith(("@", "#"))]


def find_key(node: Any, wanted: str) -> Iterator[Any]:
    """Every value stored under key `wanted`, anywhere below `node`."""
    for item in each(node):
        if isinstance(item, dict):
            for key, value in item.items():
                if key == wanted:
                    yield value
                yield from find_key(value, wanted)


def all_texts(node: Any) -> list[str]:
    """Every string below `node`, flag names included ("ATELIERS_PROTEGES" says something)."""
    texts: list[str] = []
    for item in each(node):
        if isinstance(item, dict):
            for key, value in item.items():
                if not key.startswith("@"):
                    if not key.startswith("#"):
                        texts.append(key)
                    texts.extend(all_texts(value))
        elif isinstance(item, str) and item.strip():
            texts.append(item)
    return texts


def notice_type_from_words(*words: str | None) -> str:
    """BOAMP natures and statuses ("APPEL_OFFRE", "RECTIFICATIF", "ATTRIBUTION"...) -> notice type."""
    text = plain(" ".join(word for word in words if word)).replace("_", " ")
    if "RECTIF" in text or "ANNUL" in text:
        return "corrigendum"
    if "ATTRIBUTION" in text or "RESULTAT" in text:
        return "award"
    if "PRE INFORMATION" in text or "PREINFORMATION" in text or "PERIODIQUE" in text:
        return "prior_information"
    if "APPEL OFFRE" in text or "AVIS DE MARCHE" in text or "CONCOURS" in text or "DELEGATION" in text:
        return "contract"
    return "other"


def overlay(base: Notice, detail: Notice | None) -> Notice:
    """`base` completed and corrected by `detail`, read from a richer part of the record.

    Scalars from `detail` win when present; lists of places, reservations and
    CPV codes are united; social criteria and clauses add up; awards and lots
    come from the richer part when it has any; a corrigendum stays one.
    """
    if detail is None:
        return base
    for name in ("procedure_id", "title", "description", "cpv_main", "estimated_value", "deadline",
                 "procedure_type", "url", "language", "contract_end", "result", "insertion_hours",
                 "documents_url", "contract"):
        value = getattr(detail, name)
        if value:
            setattr(base, name, value)
    for name in ("name", "siret", "nuts"):
        if getattr(detail.buyer, name):
            setattr(base.buyer, name, getattr(detail.buyer, name))
    if detail.lots:
        base.lots = detail.lots
    if detail.awards:
        base.awards = detail.awards
    base.cpv_additional = [*base.cpv_additional, *detail.cpv_additional]
    base.place.nuts = [*base.place.nuts, *detail.place.nuts]
    base.place.departments = [*base.place.departments, *detail.place.departments]
    base.reserved = sorted({*base.reserved, *detail.reserved})
    base.social_criteria = base.social_criteria or detail.social_criteria
    for name in ("cancelled", "social_clause", "insertion_clause"):
        setattr(base, name, getattr(base, name) or getattr(detail, name))
    base.unread = [*base.unread, *detail.unread]
    if base.notice_type != "corrigendum" and detail.notice_type != "other":
        base.notice_type = detail.notice_type
    return base
