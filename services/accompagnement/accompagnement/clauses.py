"""The facilitator's follow-up of a contract with a social clause: following it tells the
insertion structures that could subcontract for its winner (``clause.subcontracting_offered``,
in the same transaction; ``domain/clauses.py`` says who), entering a month's hours replaces
that month's figure. Notes on tenders are plain writes (``store/clauses.py``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import psycopg

from centrale.refusals import NotFound, Refused

from .domain.clauses import Candidate, subcontractors
from .domain.structures import Category, InsertionKind
from .store import clauses as store
from .store import tenders as tender_store
from .store.events import emit


def contract_cpv_codes(tender: dict[str, Any] | None, lot_id: str | None) -> tuple[str, ...]:
    """The lot's CPV code as accompagnement's copy of the tender has it, else the tender's."""
    if tender is None:
        return ()
    for lot in tender.get("lots") or ():
        if lot_id is not None and str(lot.get("id")) == lot_id and lot.get("cpv_main"):
            return (lot["cpv_main"],)
    return tuple(code for code in [tender.get("cpv_main"), *(tender.get("cpv_additional") or ())]
                 if code)


def follow_contract(conn: psycopg.Connection, values: dict[str, Any], by: str) -> dict[str, Any]:
    tender = tender_store.get_tender(conn, values["tender_id"])
    cpv_codes = tuple(values.get("cpv_codes") or ()) or contract_cpv_codes(tender,
                                                                           values["lot_id"])
    contract_id = store.add_contract(conn, {**values, "cpv_codes": list(cpv_codes)}, by)
    if contract_id is None:
        raise Refused("Ce marché (ou ce lot) est déjà suivi.")
    candidates = [Candidate(row["id"], row["siret"], Category(row["category"]),
                            InsertionKind(row["insertion_kind"]) if row["insertion_kind"] else None,
                            row["departement"], tuple(row["activities"]))
                  for row in store.siae_rows(conn)]
    departments = tuple(tender["departments"]) if tender is not None else ()
    told = subcontractors(candidates, cpv_codes, departments, values.get("winner_siret"))
    if told:
        store.note_structures_told(conn, contract_id, told)
        hours = values.get("hours_required")
        emit(conn, "clause.subcontracting_offered", f"clause-contract:{contract_id}", {
            "contract_id": contract_id, "tender_id": values["tender_id"],
            "lot": values["lot_id"], "title": values["title"],
            "buyer": values.get("buyer_name"),
            "winner": {"name": values["winner_name"], "siret": values.get("winner_siret")},
            "hours_required": float(hours) if hours is not None else None,
            "cpv_codes": list(cpv_codes), "structure_ids": told})
    return store.contract(conn, contract_id)


def record_month(conn: psycopg.Connection, contract_id: int, month: date, hours: Decimal,
                 by: str) -> dict[str, Any]:
    if store.contract(conn, contract_id) is None:
        raise NotFound(f"Marché suivi {contract_id} introuvable.")
    store.record_hours(conn, contract_id, month, hours, by)
    return store.contract(conn, contract_id)
