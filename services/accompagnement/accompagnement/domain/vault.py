"""A structure's document vault: expiry warnings and reuse in a case's checklist."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from .checklist import ChecklistItem, DocumentKind, ItemStatus, valid_until
from centrale.french import long_date, plural

DEFAULT_WARNING_DAYS = 30


@dataclass(frozen=True)
class VaultDocument:
    kind: DocumentKind
    issued_on: date | None = None
    expires_on: date | None = None
    document_id: str | None = None

    @property
    def valid_until(self) -> date | None:
        return valid_until(self.kind, self.issued_on, self.expires_on)


@dataclass(frozen=True)
class ExpiryWarning:
    document: VaultDocument
    valid_until: date
    days_left: int  # negative once expired
    message: str


def expiry_warnings(
    documents: Iterable[VaultDocument], today: date, warning_days: int = DEFAULT_WARNING_DAYS
) -> list[ExpiryWarning]:
    """Documents expired or expiring within `warning_days`, soonest first.

    A document superseded by a newer one of the same kind that stays valid
    beyond the warning window is not reported: it has been renewed.
    """
    documents = list(documents)
    renewed = {
        doc.kind
        for doc in documents
        if doc.valid_until is not None and (doc.valid_until - today).days > warning_days
    }
    warnings = []
    for doc in documents:
        end = doc.valid_until
        if end is None or doc.kind in renewed:
            continue
        days_left = (end - today).days
        if days_left <= warning_days:
            warnings.append(ExpiryWarning(doc, end, days_left, _expiry_message(doc.kind, end, days_left)))
    return sorted(warnings, key=lambda warning: (warning.valid_until, warning.document.kind))


def _expiry_message(kind: DocumentKind, end: date, days_left: int) -> str:
    if days_left < 0:
        return f"{kind.label} : validité terminée le {long_date(end)}, à renouveler."
    if days_left == 0:
        return f"{kind.label} : valable jusqu'à aujourd'hui ({long_date(end)}), à renouveler."
    return f"{kind.label} : valable jusqu'au {long_date(end)} (encore {plural(days_left, 'jour')}), à renouveler."


def best_document(documents: Iterable[VaultDocument], kind: DocumentKind) -> VaultDocument | None:
    """The document of this kind valid the longest (undated documents count as never expiring)."""
    candidates = [doc for doc in documents if doc.kind is kind]
    if not candidates:
        return None
    return max(candidates, key=lambda doc: (doc.valid_until or date.max, doc.issued_on or date.min))


def fill_from_vault(
    items: list[ChecklistItem], documents: Iterable[VaultDocument], deadline_day: date
) -> list[ChecklistItem]:
    """Attach the vault's best document to each item still to provide.

    Valid on the deadline day -> "fourni" (the advisor still validates it);
    not valid then -> "expiré", so the structure renews it in time.
    """
    documents = list(documents)
    filled = []
    for item in items:
        doc = best_document(documents, item.kind) if item.status is ItemStatus.A_FOURNIR else None
        if doc is not None:
            end = doc.valid_until
            status = ItemStatus.FOURNI if end is None or end >= deadline_day else ItemStatus.EXPIRE
            item = replace(item, status=status, issued_on=doc.issued_on, expires_on=doc.expires_on)
        filled.append(item)
    return filled
