"""Départements: validation, derivation from a postal code, neighbourhood.

The neighbourhood table covers the Auvergne-Rhône-Alpes départements (the
platform's territory is Loire Sud: 42 Loire and 43 Haute-Loire) and their
borders; two départements outside it are only "neighbours" if listed. Extend
BORDERS when the platform serves another region.
"""

from __future__ import annotations

import re

_METROPOLITAN = re.compile(r"^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5])$")  # no "20" since Corsica split in 1976
_OVERSEAS = {"971", "972", "973", "974", "976"}

# Each Auvergne-Rhône-Alpes département with every département it touches.
BORDERS: dict[str, tuple[str, ...]] = {
    "01": ("38", "39", "69", "71", "73", "74"),
    "03": ("18", "23", "42", "58", "63", "71"),
    "07": ("26", "30", "38", "42", "43", "48", "84"),
    "15": ("12", "19", "43", "46", "48", "63"),
    "26": ("04", "05", "07", "38", "84"),
    "38": ("01", "05", "07", "26", "42", "69", "73"),
    "42": ("03", "07", "38", "43", "63", "69", "71"),
    "43": ("07", "15", "42", "48", "63"),
    "63": ("03", "15", "19", "23", "42", "43"),
    "69": ("01", "38", "42", "71"),
    "73": ("01", "05", "38", "74"),
    "74": ("01", "73"),
}

NAMES: dict[str, str] = {
    "01": "Ain", "03": "Allier", "04": "Alpes-de-Haute-Provence", "05": "Hautes-Alpes",
    "07": "Ardèche", "12": "Aveyron", "15": "Cantal", "18": "Cher", "19": "Corrèze",
    "23": "Creuse", "26": "Drôme", "30": "Gard", "38": "Isère", "39": "Jura", "42": "Loire",
    "43": "Haute-Loire", "46": "Lot", "48": "Lozère", "58": "Nièvre", "63": "Puy-de-Dôme",
    "69": "Rhône", "71": "Saône-et-Loire", "73": "Savoie", "74": "Haute-Savoie",
    "84": "Vaucluse",
}


def _symmetric(borders: dict[str, tuple[str, ...]]) -> dict[str, frozenset[str]]:
    # Built both ways so that "is 71 a neighbour of 42?" works from either side.
    pairs: dict[str, set[str]] = {}
    for code, others in borders.items():
        for other in others:
            pairs.setdefault(code, set()).add(other)
            pairs.setdefault(other, set()).add(code)
    return {code: frozenset(others) for code, others in pairs.items()}


_NEIGHBOURS = _symmetric(BORDERS)


class InvalidDepartement(ValueError):
    """Not a French département code."""


def normalise_departement(code: str | int) -> str:
    """"42", 42, "2a", "974" -> canonical code; raises InvalidDepartement in French.

    Accepts a missing leading zero ("7" -> "07"), as real feeds send it.
    """
    text = str(code).strip().upper()
    if text.isdigit() and len(text) == 1:
        text = "0" + text
    if _METROPOLITAN.match(text) or text in _OVERSEAS:
        return text
    raise InvalidDepartement(f"Département inconnu : « {code} » (attendu par exemple 42, 2A ou 974).")


def departement_from_postal_code(postal_code: str) -> str | None:
    """The département a postal code usually belongs to, or None (Monaco, overseas collectivities).

    Corsica: 200xx-201xx is Corse-du-Sud (2A), 202xx-206xx Haute-Corse (2B).
    """
    code = postal_code.strip()
    if not (len(code) == 5 and code.isdigit()):
        return None
    if code.startswith("20"):
        return "2A" if int(code) < 20200 else "2B"
    if code.startswith("97"):
        return code[:3] if code[:3] in _OVERSEAS else None
    if code.startswith("98") or code.startswith("00"):
        return None
    return code[:2]


def are_neighbours(first: str, second: str) -> bool:
    """True when two distinct départements share a border (per BORDERS)."""
    return second in _NEIGHBOURS.get(first, frozenset())


def departement_label(code: str) -> str:
    """"42 Loire" when the name is known, else the bare code."""
    name = NAMES.get(code)
    return f"{code} {name}" if name else code
