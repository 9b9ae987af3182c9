"""The public directory's card of a structure: what a buyer reads of it, and what stays private.

A structure appears in the directory only while it consents (``CONSENT_WORDING`` is what it
agrees to; every consent given or withdrawn is kept). Its card says what it does (CPV codes
with their French labels), where (départements, communes), what it is (its category and, for
an insertion structure, its kind), how big — as bands of the registry's headcount and
turnover, never the figures themselves —, its labels and a presentation in its own words.
Its address, contacts and figures are never on the card: a visitor writes through the
contact form, which the platform relays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from centrale.cpv import InvalidCpv, activity_label, cpv_prefix, full_cpv
from centrale.french import label
from centrale.text import first_forbidden
from centrale.territory import InvalidDepartment, department_code

CONSENT_WORDING = (
    "La structure accepte que sa fiche publique (nom, catégorie, activités, territoire, "
    "tranches d'effectif et de chiffre d'affaires, labels, présentation et marchés remportés) "
    "figure dans l'annuaire public de la Centrale des Marchés Solidaires, consultable sans "
    "compte. Elle peut retirer son accord à tout moment depuis son espace ; sa fiche quitte "
    "alors l'annuaire aussitôt. Ses coordonnées n'y figurent jamais : les messages des "
    "visiteurs lui sont transmis par la Centrale.")

MAX_PRESENTATION = 3000
MAX_ITEMS = 20
MAX_LABEL = 80
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!]")


def staff_band(headcount: int | None) -> str | None:
    """The band of a headcount (« 10-49 »), None when the registry does not know it."""
    if headcount is None:
        return None
    for upper, band in ((0, "0"), (9, "1-9"), (49, "10-49"), (249, "50-249")):
        if headcount <= upper:
            return band
    return "250+"


def turnover_band(turnover: Decimal | float | None) -> str | None:
    if turnover is None:
        return None
    amount = Decimal(str(turnover))
    for upper, band in ((Decimal(100_000), "lt100k"), (Decimal(500_000), "100k-500k"),
                        (Decimal(2_000_000), "500k-2m")):
        if amount < upper:
            return band
    return "2m+"


def category_text(category: str, insertion_kind: str | None) -> str:
    """« Structure d'insertion — Atelier et chantier d'insertion (ACI) », or the category."""
    text = label("structure_category", category)
    if insertion_kind:
        text += " — " + label("insertion_kind", insertion_kind)
    return text


@dataclass(frozen=True)
class CardInput:
    presentation: str = ""
    activities: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    communes: tuple[str, ...] = ()
    labels: tuple[str, ...] = ()
    website: str | None = None


def _plain_text_errors(value: str, name: str, add) -> None:
    if first_forbidden(value) is not None:
        add(name, "Caractères de contrôle refusés.")
    if _MARKUP.search(value):
        add(name, "Les balises HTML ne sont pas acceptées : écrivez du texte simple.")


def card_errors(card: CardInput) -> dict[str, list[str]]:
    """Field -> French messages; empty when the card can be published."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if len(card.presentation) > MAX_PRESENTATION:
        add("presentation", f"La présentation tient en {MAX_PRESENTATION} caractères au plus.")
    _plain_text_errors(card.presentation, "presentation", add)
    for name in ("activities", "departements", "communes", "labels"):
        if len(getattr(card, name)) > MAX_ITEMS:
            add(name, f"{MAX_ITEMS} éléments au plus.")
    for index, code in enumerate(card.activities):
        try:
            cpv_prefix(code)
        except InvalidCpv as error:
            add(f"activities.{index}", str(error))
    for index, code in enumerate(card.departements):
        try:
            department_code(code)
        except InvalidDepartment as error:
            add(f"departements.{index}", str(error))
    for name in ("communes", "labels"):
        for index, text in enumerate(getattr(card, name)):
            if not text.strip() or len(text) > MAX_LABEL:
                add(f"{name}.{index}", f"Entre 1 et {MAX_LABEL} caractères.")
            _plain_text_errors(text, f"{name}.{index}", add)
    if card.website and not re.match(r"^https?://[^\s<>\"]+$", card.website):
        add("website", "Adresse de site attendue, commençant par https:// ou http://.")
    return errors


def normalized(card: CardInput) -> CardInput:
    """Codes in their one form (8-digit CPV, département codes), texts trimmed, no repeats."""
    def unique(items):
        seen: list = []
        for item in items:
            if item and item not in seen:
                seen.append(item)
        return tuple(seen)

    return CardInput(
        presentation=card.presentation.strip(),
        activities=unique(full_cpv(code) for code in card.activities),
        departements=unique(department_code(code) for code in card.departements),
        communes=unique(text.strip() for text in card.communes),
        labels=unique(text.strip() for text in card.labels),
        website=(card.website or "").strip() or None)


def activities_with_labels(codes) -> list[dict[str, str | None]]:
    """[{code, label}] for the card, labels from the shared CPV vocabulary (None unknown)."""
    return [{"code": code, "label": activity_label(code)} for code in codes]
