"""Reserved markets (Code de la commande publique, L2113-12 to L2113-15).

A buyer may reserve a contract or a lot to:
- EA and ESAT (L2113-12, disabled workers),
- SIAE (L2113-13, disadvantaged workers),
- both at once (L2113-14, since the ASAP law of 2020),
- ESS enterprises, for some health, social and cultural services (L2113-15).
eForms does not tell L2113-12 from L2113-13 (code "res-ws"), so such notices
map to the joint reservation.
"""

from __future__ import annotations

from enum import StrEnum

from centrale.french import label

from .structures import SIAE_KINDS, Category, Structure


class Reservation(StrEnum):
    NONE = "none"
    HANDICAP = "handicap"
    INSERTION = "insertion"
    HANDICAP_INSERTION = "handicap_insertion"
    ESS = "ess"

    @property
    def label(self) -> str:
        return label("lot_reservation", self)

    @property
    def short_label(self) -> str:
        """Who the lot is reserved to, for explanations: 'EA et ESAT'."""
        return label("lot_reservation_short", self)


_EFORMS_CODES = {
    "none": Reservation.NONE,
    "res-ws": Reservation.HANDICAP_INSERTION,
    "res-pub-ser": Reservation.ESS,
}


def reservation_from_eforms(code: str | None) -> Reservation:
    """Map eForms BT-71 'reserved-procurement' codes; unknown or missing -> NONE."""
    return _EFORMS_CODES.get((code or "none").strip().lower(), Reservation.NONE)


def is_eligible(structure: Structure, reservation: Reservation) -> bool:
    """Whether the structure may answer a lot with this reservation.

    The ESS reservation is judged on category or statutory ESS legal form; an
    EA or SIAE run as a commercial company qualifies only if ESUS-approved,
    which the registry records as the ESUS category.
    """
    handicap = structure.category in (Category.EA, Category.ESAT)
    insertion = structure.category is Category.INSERTION and structure.insertion_kind in SIAE_KINDS
    match reservation:
        case Reservation.NONE:
            return True
        case Reservation.HANDICAP:
            return handicap
        case Reservation.INSERTION:
            return insertion
        case Reservation.HANDICAP_INSERTION:
            return handicap or insertion
        case Reservation.ESS:
            return structure.is_ess
    raise ValueError(f"unknown reservation {reservation!r}")
