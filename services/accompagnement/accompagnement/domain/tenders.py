"""The accompagnement service's own view of a tender (a copy kept from veille events).

A tender without lots is represented as a single lot; a private buyer's
request for a quote is a tender whose procedure is DEVIS_PRIVE.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from centrale.french import label

from .reservations import Reservation


class BuyerProcedure(StrEnum):
    """How the buyer consults: it decides which documents the answer needs."""

    MAPA = "mapa"
    APPEL_OFFRES = "appel_offres"
    PETIT_MONTANT = "petit_montant"
    DEVIS_PRIVE = "devis_prive"

    @property
    def label(self) -> str:
        return label("buyer_procedure", self)

    @property
    def is_public(self) -> bool:
        return self is not BuyerProcedure.DEVIS_PRIVE



@dataclass(frozen=True)
class Lot:
    number: str
    title: str
    cpv_codes: tuple[str, ...]
    reservation: Reservation = Reservation.NONE
    estimated_amount: Decimal | None = None

    @property
    def name(self) -> str:
        """'lot 2 « Espaces verts »' for explanations."""
        return f"lot {self.number} « {self.title} »"


@dataclass(frozen=True)
class Tender:
    """A consultation as the case needs it. departement is the place of execution."""

    reference: str
    title: str
    buyer_name: str
    lots: tuple[Lot, ...]
    deadline: datetime | None = None
    departement: str | None = None
    procedure: BuyerProcedure = BuyerProcedure.MAPA
    min_headcount: int | None = None
    min_annual_turnover: Decimal | None = None

    def lots_numbered(self, numbers: tuple[str, ...] | list[str] | None) -> tuple[Lot, ...]:
        """The lots a case targets (all of them when numbers is None or empty)."""
        if not numbers:
            return self.lots
        wanted = set(numbers)
        return tuple(lot for lot in self.lots if lot.number in wanted)

    @property
    def fully_reserved(self) -> bool:
        """Every lot is reserved, so an ineligible structure cannot answer at all."""
        return bool(self.lots) and all(lot.reservation is not Reservation.NONE for lot in self.lots)
