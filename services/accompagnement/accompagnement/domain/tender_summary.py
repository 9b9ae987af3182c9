"""Veille's tender summary (the ``tender`` of its events) read into this service's Tender.

Veille's vocabularies, mapped here:
- reservations "sheltered_workshop", "insertion", "ess", "public_service_mission".
  "sheltered_workshop" is also what veille files the EU article 20 reservation (eForms
  res-ws) under, which French law splits into L2113-12 (EA/ESAT) and L2113-13 (SIAE):
  it is read as the joint reservation (like reservations.reservation_from_eforms), so that
  no structure is wrongly told it may not answer; the advisor checks the notice.
  "public_service_mission" is EU article 77, transposed as L2113-15 (ESS).
- procedure types: "adapted" is a MAPA; the formal procedures are appels d'offres; an
  unknown procedure is taken as a MAPA (the lighter file, which the advisor completes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from .reservations import Reservation
from .tenders import BuyerProcedure, Lot, Tender

FORMAL_PROCEDURES = frozenset({"open", "restricted", "negotiated", "competitive_dialogue",
                               "innovation_partnership", "design_contest"})


def reservation_from_veille(codes: Iterable[str]) -> Reservation:
    wanted = {code.strip().lower() for code in codes if code}
    if "sheltered_workshop" in wanted:
        return Reservation.HANDICAP_INSERTION
    if "insertion" in wanted:
        return Reservation.INSERTION
    if wanted & {"ess", "public_service_mission"}:
        return Reservation.ESS
    return Reservation.NONE


def procedure_from_veille(procedure_type: str | None) -> BuyerProcedure:
    if procedure_type in FORMAL_PROCEDURES:
        return BuyerProcedure.APPEL_OFFRES
    return BuyerProcedure.MAPA


def euros_of(value: Mapping[str, Any] | None) -> Decimal | None:
    """{amount, currency} in euros -> Decimal; None for another currency or a zero estimate."""
    if not value or (value.get("currency") or "EUR") != "EUR":
        return None
    try:
        amount = Decimal(str(value.get("amount")))
    except (InvalidOperation, ValueError):
        return None
    return amount if amount.is_finite() and amount > 0 else None


def lots_from_summary(lots: list[Mapping[str, Any]], cpv_main: str | None,
                      cpv_additional: list[str], reserved: list[str], title: str,
                      estimated: Decimal | None) -> tuple[Lot, ...]:
    """The tender's lots; a tender without lots is one lot "1" carrying all its CPV codes."""
    if not lots:
        codes = tuple(code for code in [cpv_main, *cpv_additional] if code)
        return (Lot("1", title, codes, reservation_from_veille(reserved), estimated),)
    result = []
    for lot in lots:
        code = lot.get("cpv_main") or cpv_main
        result.append(Lot(
            number=str(lot["id"]),
            title=lot.get("title") or title,
            cpv_codes=(code,) if code else (),
            reservation=reservation_from_veille(lot.get("reserved") or []),
            estimated_amount=euros_of(lot.get("estimated_value")),
        ))
    return tuple(result)


def tender_from_mirror(row: Mapping[str, Any], *, min_headcount: int | None = None,
                       min_annual_turnover: Decimal | None = None) -> Tender:
    """A Tender from the mirror's columns (the summary's fields, flattened).

    The requirements (minimum headcount, turnover) are not in veille's summary: the advisor
    reads them in the consultation's file and records them on the case.
    """
    departments = list(row.get("departments") or [])
    deadline = row.get("deadline")
    if isinstance(deadline, str):
        deadline = datetime.fromisoformat(deadline)
    estimated = row.get("estimated_amount")
    return Tender(
        reference=str(row.get("source_id") or row["id"]),
        title=row["title"],
        buyer_name=row.get("buyer_name") or "Acheteur non précisé",
        lots=lots_from_summary(list(row.get("lots") or []), row.get("cpv_main"),
                               list(row.get("cpv_additional") or []),
                               list(row.get("reserved") or []), row["title"],
                               Decimal(estimated) if estimated is not None else None),
        deadline=deadline,
        departement=departments[0] if departments else None,
        procedure=procedure_from_veille(row.get("procedure_type")),
        min_headcount=min_headcount,
        min_annual_turnover=min_annual_turnover,
    )
