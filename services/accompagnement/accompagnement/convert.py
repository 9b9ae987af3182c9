"""Stored rows and API documents turned into the domain's objects (and back where needed)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any

from .domain.structures import (Address, Capacities, Category, Contact, InsertionKind, LegalForm,
                                Reference, Structure)
from .domain.tender_summary import tender_from_mirror
from .domain.tenders import BuyerProcedure, Tender


def _enum(kind, value):
    """The enum member, or the raw value when unknown (the domain's validation names it)."""
    try:
        return kind(value) if value is not None else None
    except ValueError:
        return value


def structure_from_document(data: dict[str, Any]) -> Structure:
    """A domain Structure from the registry's document shape (API input or stored)."""
    address = data.get("address")
    capacities = data.get("capacities") or {}
    return Structure(
        legal_name=data.get("legal_name") or "",
        siret=data.get("siret") or "",
        legal_form=_enum(LegalForm, data.get("legal_form")),
        category=_enum(Category, data.get("category")),
        departement=data.get("departement") or "",
        insertion_kind=_enum(InsertionKind, data.get("insertion_kind")),
        address=Address(address.get("street") or "", address.get("postal_code") or "",
                        address.get("city") or "") if address else None,
        activities=tuple(data.get("activities") or ()),
        capacities=Capacities(
            headcount=capacities.get("headcount"),
            annual_turnover=_decimal(capacities.get("annual_turnover")),
            insurance_coverage=_decimal(capacities.get("insurance_coverage")),
            insurer=capacities.get("insurer"),
            insurance_expires_on=capacities.get("insurance_expires_on"),
        ),
        references=tuple(
            Reference(ref["title"], ref["buyer"], ref["year"], _decimal(ref.get("amount")),
                      tuple(ref.get("cpv_codes") or ()))
            for ref in data.get("references") or ()),
        contacts=tuple(Contact(c["name"], c.get("role") or "", c.get("email"), c.get("phone"))
                       for c in data.get("contacts") or ()),
        id=str(data["id"]) if data.get("id") is not None else None,
    )


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(value)


def tender_of_case(case: dict[str, Any], mirror: dict[str, Any] | None) -> Tender:
    """What the case answers: the mirrored tender, or the private buyer's request."""
    requirements = {"min_headcount": case.get("min_headcount"),
                    "min_annual_turnover": _decimal(case.get("min_annual_turnover"))}
    if mirror is not None:
        tender = tender_from_mirror(mirror, **requirements)
        if case.get("deadline") is not None:  # the case follows the latest deadline it heard of
            tender = replace(tender, deadline=case["deadline"])
        return tender
    return Tender(reference=f"devis-{case['id']}", title=case["title"],
                  buyer_name=case.get("buyer_name") or "Acheteur privé", lots=(),
                  deadline=case.get("deadline"), procedure=BuyerProcedure.DEVIS_PRIVE,
                  **requirements)

