"""The answer's file as a checklist, and the validity of dated documents.

Validity rules (VALIDITY_MONTHS) follow what buyers ask for:
- attestation de vigilance URSSAF: less than 6 months old (Code du travail D8222-5);
- attestation de régularité fiscale: no legal lifetime, but buyers ask for one
  less than 6 months old; the platform applies 6 months;
- extrait Kbis and avis de situation SIRENE: less than 3 months old;
- insurance certificate and status proof (SIAE convention, ESUS approval...):
  valid until the end date printed on them, entered as `expires_on`.
"Less than N months old" means valid up to the day before the N-month
anniversary: a Kbis of 20/10/2026 is no longer valid on 20/01/2027.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from enum import StrEnum

from centrale.french import PARIS, label
from .tenders import BuyerProcedure


class ItemStatus(StrEnum):
    A_FOURNIR = "a_fournir"
    EN_COURS = "en_cours"
    FOURNI = "fourni"
    VALIDE = "valide"
    EXPIRE = "expire"

    @property
    def label(self) -> str:
        return label("checklist_status", self)


# Statuses that count as "ready" for the deposit.
READY_STATUSES = frozenset({ItemStatus.FOURNI, ItemStatus.VALIDE})


class DocumentKind(StrEnum):
    DC1 = "dc1"
    DC2 = "dc2"
    DUME = "dume"
    DC4 = "dc4"
    ACTE_ENGAGEMENT = "acte_engagement"
    ATTESTATION_URSSAF = "attestation_urssaf"
    ATTESTATION_FISCALE = "attestation_fiscale"
    KBIS = "kbis"
    AVIS_SIRENE = "avis_sirene"
    ASSURANCE = "assurance"
    JUSTIFICATIF_STATUT = "justificatif_statut"
    REFERENCES = "references"
    MEMOIRE_TECHNIQUE = "memoire_technique"
    BPU = "bpu"
    DPGF = "dpgf"
    DQE = "dqe"
    DEVIS = "devis"
    PRESENTATION = "presentation"

    @property
    def label(self) -> str:
        return label("document_kind", self)


VALIDITY_MONTHS: dict[DocumentKind, int] = {
    DocumentKind.ATTESTATION_URSSAF: 6,
    DocumentKind.ATTESTATION_FISCALE: 6,
    DocumentKind.KBIS: 3,
    DocumentKind.AVIS_SIRENE: 3,
}

PRICE_SCHEDULES = (DocumentKind.BPU, DocumentKind.DPGF, DocumentKind.DQE)


@dataclass(frozen=True)
class ChecklistItem:
    kind: DocumentKind
    status: ItemStatus = ItemStatus.A_FOURNIR
    required: bool = True
    issued_on: date | None = None
    expires_on: date | None = None

    @property
    def label(self) -> str:
        return self.kind.label

    @property
    def valid_until(self) -> date | None:
        return valid_until(self.kind, self.issued_on, self.expires_on)


def default_checklist(
    procedure: BuyerProcedure,
    *,
    use_dume: bool = False,
    price_schedule: DocumentKind = DocumentKind.BPU,
    registered_at_rcs: bool = True,
    reserved: bool = False,
    with_subcontractors: bool = False,
) -> list[ChecklistItem]:
    """The documents an answer needs, all "à fournir".

    Public procedures: candidature (DC1 + DC2, or the DUME which replaces
    both), tax and social attestations, Kbis (or the SIRENE notice for
    structures not registered at the RCS, such as associations), insurance,
    references, mémoire technique, the price schedule and the acte
    d'engagement. Quotes (small public purchases, private buyers) need a quote
    and the attestations a buyer must check from 5 000 € on.
    """
    if price_schedule not in PRICE_SCHEDULES:
        raise ValueError(f"price_schedule must be one of {PRICE_SCHEDULES}")
    registration = DocumentKind.KBIS if registered_at_rcs else DocumentKind.AVIS_SIRENE
    if procedure in (BuyerProcedure.MAPA, BuyerProcedure.APPEL_OFFRES):
        kinds = [DocumentKind.DUME] if use_dume else [DocumentKind.DC1, DocumentKind.DC2]
        kinds += [
            DocumentKind.ATTESTATION_URSSAF,
            DocumentKind.ATTESTATION_FISCALE,
            registration,
            DocumentKind.ASSURANCE,
            DocumentKind.REFERENCES,
            DocumentKind.MEMOIRE_TECHNIQUE,
            price_schedule,
            DocumentKind.ACTE_ENGAGEMENT,
        ]
    elif procedure is BuyerProcedure.PETIT_MONTANT:
        kinds = [
            DocumentKind.DEVIS,
            DocumentKind.ATTESTATION_URSSAF,
            DocumentKind.ATTESTATION_FISCALE,
            registration,
            DocumentKind.ASSURANCE,
        ]
    else:  # DEVIS_PRIVE: a private client owes the same URSSAF check from 5 000 €.
        kinds = [
            DocumentKind.DEVIS,
            DocumentKind.PRESENTATION,
            DocumentKind.REFERENCES,
            DocumentKind.ATTESTATION_URSSAF,
            DocumentKind.ASSURANCE,
        ]
    if reserved:
        kinds.append(DocumentKind.JUSTIFICATIF_STATUT)
    if with_subcontractors and procedure.is_public:
        kinds.append(DocumentKind.DC4)
    return [ChecklistItem(kind) for kind in kinds]


def add_months(day: date, months: int) -> date:
    """Same day `months` later (or earlier), clamped to the month's end: 31/08 + 6 -> 28/02."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last_day = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last_day))


def valid_until(kind: DocumentKind, issued_on: date | None, expires_on: date | None) -> date | None:
    """Last day the document is valid, or None when it does not expire (or dates are unknown).

    An explicit end date wins over the rule of the kind.
    """
    if expires_on is not None:
        return expires_on
    months = VALIDITY_MONTHS.get(kind)
    if months is None or issued_on is None:
        return None
    return add_months(issued_on, months) - timedelta(days=1)


def earliest_valid_issue_date(kind: DocumentKind, on: date) -> date | None:
    """The oldest issue date still valid on `on`: "ask for a Kbis dated 21/10/2026 or later"."""
    months = VALIDITY_MONTHS.get(kind)
    if months is None:
        return None
    candidate = add_months(on, -months)
    # Month clamping can make the first guess one or two days off: step to the exact day.
    while valid_until(kind, candidate, None) >= on:
        candidate -= timedelta(days=1)
    while valid_until(kind, candidate, None) < on:
        candidate += timedelta(days=1)
    return candidate


def deadline_day(deadline: datetime) -> date:
    """The calendar day, in Paris, on which documents must still be valid."""
    return deadline.astimezone(PARIS).date()


def is_valid_on(item: ChecklistItem, on: date) -> bool:
    """True when the item has no end of validity or is still valid on that day."""
    end = item.valid_until
    return end is None or end >= on


def apply_validity(items: list[ChecklistItem], deadline_day: date) -> list[ChecklistItem]:
    """Mark "expiré" the dated documents that will not be valid on the deadline day.

    An item marked expired whose dates were since renewed goes back to "fourni"
    (the advisor validates it again).
    """
    updated = []
    for item in items:
        dated = item.valid_until is not None
        if dated and not is_valid_on(item, deadline_day):
            item = replace(item, status=ItemStatus.EXPIRE)
        elif dated and item.status is ItemStatus.EXPIRE:
            item = replace(item, status=ItemStatus.FOURNI)
        updated.append(item)
    return updated


def missing_items(items: list[ChecklistItem]) -> list[ChecklistItem]:
    """Required items not yet ready (à fournir, en cours or expiré)."""
    return [item for item in items if item.required and item.status not in READY_STATUSES]


def is_complete(items: list[ChecklistItem]) -> bool:
    return not missing_items(items)
