"""Everything the domain needs about one case: its structure and what it answers, loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg

from .convert import structure_from_document, tender_of_case
from .domain.structures import Structure
from .domain.tenders import Lot, Tender
from .store import structures as structure_store
from .store import tenders as tender_store


@dataclass(frozen=True)
class CaseContext:
    case: dict[str, Any]
    structure_document: dict[str, Any]
    structure: Structure
    mirror: dict[str, Any] | None  # the mirrored tender; None for a request for a quote
    tender: Tender

    @property
    def lot_numbers(self) -> tuple[str, ...]:
        return tuple(self.case.get("lot_numbers") or ())

    @property
    def lots(self) -> tuple[Lot, ...]:
        """The lots the case targets (all of them when it names none)."""
        return self.tender.lots_numbered(self.lot_numbers)


class UnregisteredStructure(LookupError):
    """The case was opened before the registry existed: its structure is not in it."""


def load_context(conn: psycopg.Connection, case: dict[str, Any]) -> CaseContext:
    document = structure_store.get_structure(conn, case["structure_id"])
    if document is None:
        raise UnregisteredStructure(case["structure_id"])
    mirror = tender_store.get_tender(conn, case["tender_id"]) if case["tender_id"] else None
    return CaseContext(case, document, structure_from_document(document), mirror,
                       tender_of_case(case, mirror))
