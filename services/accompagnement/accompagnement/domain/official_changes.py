"""The official details of a structure — what a buyer's reserved lots and the partner
suggestions are decided on — change only by an advisor, or as a member's request an advisor
approves (issue 16, point 3).

Official: the raison sociale and the SIRET (who the structure is), its legal form, its
category and its kind of SIAE (together they decide which reserved lots it may answer:
L2113-12 for EA/ESAT, L2113-13 for SIAE, L2113-15 for ESS companies, ESUS included)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from centrale.french import label

OFFICIAL_FIELDS = ("legal_name", "siret", "legal_form", "category", "insertion_kind")

MEMBER_REFUSAL = ("Ce champ officiel est modifié par la Centrale : demandez-en la "
                  "modification (elle sera appliquée une fois approuvée par un conseiller).")
NOTHING_CHANGES = "Indiquez au moins un champ officiel dont la valeur change."


def official_changes(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, Any]:
    """The official fields whose value ``wanted`` changes, with their new value."""
    return {name: wanted[name] for name in OFFICIAL_FIELDS
            if name in wanted and wanted[name] != current.get(name)}


def member_refusals(current: Mapping[str, Any], wanted: Mapping[str, Any]) -> dict[str, list[str]]:
    """Why a member's own edit of the record is refused, by field: every official field it
    would change."""
    return {name: [MEMBER_REFUSAL] for name in official_changes(current, wanted)}


def field_label(name: str) -> str:
    return label("structure_field", name)


def describe(current: Mapping[str, Any], changes: Mapping[str, Any]) -> str:
    """« catégorie : Association → Entreprise adaptée (EA) », one part per field."""
    kinds = {"legal_form": "legal_form", "category": "structure_category",
             "insertion_kind": "insertion_kind"}

    def shown(name: str, value: Any) -> str:
        if name in kinds:
            return label(kinds[name], value)
        return str(value) if value not in (None, "") else "—"

    return " ; ".join(f"{field_label(name)} : {shown(name, current.get(name))} → "
                      f"{shown(name, value)}" for name, value in changes.items())
