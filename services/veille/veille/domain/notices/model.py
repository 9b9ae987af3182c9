"""The normalised tender notice, whatever its source (BOAMP, TED, DECP).

Close to OCDS (a notice is a release of one procedure: buyer, tender, lots,
value) but flattened to what the veille needs to match a notice against a
structure: CPV codes, départements, deadline, reservations, social clauses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

SOURCES = ("boamp", "ted", "decp")

NOTICE_TYPES = ("contract", "prior_information", "award", "corrigendum", "other")

# Procedure types, a closed vocabulary (None when the source says nothing):
#   open                     appel d'offres ouvert / open procedure
#   restricted               appel d'offres restreint / restricted procedure
#   negotiated               procédure avec négociation, negotiated with prior call,
#                            competitive procedure with negotiation
#   negotiated_without_call  marché sans publicité ni mise en concurrence préalable,
#                            negotiated without prior publication (nothing to answer)
#   competitive_dialogue     dialogue compétitif
#   innovation_partnership   partenariat d'innovation
#   adapted                  procédure adaptée (MAPA), below EU thresholds
#   design_contest           concours
#   other                    anything else the source names (eForms oth-single...)
PROCEDURE_TYPES = (
    "open",
    "restricted",
    "negotiated",
    "negotiated_without_call",
    "competitive_dialogue",
    "innovation_partnership",
    "adapted",
    "design_contest",
    "other",
)

# Who a contract (or lot) is reserved to:
#   sheltered_workshop      EA/ESAT (art. L2113-12), eForms res-ws, TED sheltered
#                           workshop/programme; also the EU art. 20 reservation when
#                           the source does not say which French article applies
#   insertion               SIAE, structures d'insertion (art. L2113-13)
#   ess                     entreprises de l'ESS (art. L2113-15)
#   public_service_mission  eForms res-pub-ser, EU art. 77 organisations
RESERVATIONS = ("ess", "insertion", "public_service_mission", "sheltered_workshop")


@dataclass
class Money:
    """An amount excluding VAT, in the currency the notice gives."""

    amount: float
    currency: str = "EUR"

    def to_dict(self) -> dict:
        amount = int(self.amount) if float(self.amount).is_integer() else self.amount
        return {"amount": amount, "currency": self.currency}


@dataclass
class Buyer:
    """The contracting authority; `siret` only when a 14-digit SIRET is known."""

    name: str | None = None
    siret: str | None = None
    nuts: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "siret": self.siret, "nuts": self.nuts}


@dataclass
class Place:
    """Where the work is done: NUTS codes as given, French départements derived."""

    nuts: list[str] = field(default_factory=list)
    departments: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"nuts": list(self.nuts), "departments": list(self.departments)}


@dataclass
class Lot:
    """One lot of a notice.

    `deadline` falls back to the notice's when the source gives none per lot.
    `cpv_additional` is not published per lot: it is merged into the notice's.
    """

    id: str
    title: str | None = None
    cpv_main: str | None = None
    cpv_additional: list[str] = field(default_factory=list)
    estimated_value: Money | None = None
    deadline: datetime | None = None
    reserved: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "cpv_main": self.cpv_main,
            "estimated_value": self.estimated_value.to_dict() if self.estimated_value else None,
            "deadline": _iso(self.deadline),
            "reserved": sorted(self.reserved),
        }


@dataclass
class Notice:
    """A tender notice (or a DECP contract) in the shape the whole veille uses.

    `contract_end` is only known for awarded contracts (DECP): the date the
    contract ends, which announces when it will be tendered again. It is kept
    out of `to_dict()`, whose keys are the service's published contract.
    """

    source: str
    source_id: str
    procedure_id: str | None = None
    notice_type: str = "other"
    title: str = ""
    description: str = ""
    buyer: Buyer = field(default_factory=Buyer)
    cpv_main: str | None = None
    cpv_additional: list[str] = field(default_factory=list)
    place: Place = field(default_factory=Place)
    estimated_value: Money | None = None
    deadline: datetime | None = None
    procedure_type: str | None = None
    reserved: list[str] = field(default_factory=list)
    social_criteria: bool = False
    lots: list[Lot] = field(default_factory=list)
    url: str | None = None
    language: str | None = None
    contract_end: date | None = None

    def to_dict(self) -> dict:
        """The notice as plain JSON-ready data, with exactly the published keys."""
        return {
            "source": self.source,
            "source_id": self.source_id,
            "procedure_id": self.procedure_id,
            "notice_type": self.notice_type,
            "title": self.title,
            "description": self.description,
            "buyer": self.buyer.to_dict(),
            "cpv_main": self.cpv_main,
            "cpv_additional": list(self.cpv_additional),
            "place": self.place.to_dict(),
            "estimated_value": self.estimated_value.to_dict() if self.estimated_value else None,
            "deadline": _iso(self.deadline),
            "procedure_type": self.procedure_type,
            "reserved": sorted(self.reserved),
            "social_criteria": self.social_criteria,
            "lots": [lot.to_dict() for lot in self.lots],
            "url": self.url,
            "language": self.language,
        }


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
