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

# What became of a procedure or a lot (None while nothing says so):
#   awarded       at least one winner is named (« attribué »)
#   unsuccessful  no acceptable tender, nobody won (« infructueux »; eForms BT-144
#                 no-rece / all-rej; TED PROCUREMENT_UNSUCCESSFUL)
#   cancelled     the buyer gave up (« sans suite », « annulation »; eForms change
#                 reason "cancel" or non-award for a change of need / lack of funds;
#                 TED PROCUREMENT_DISCONTINUED)
RESULTS = ("awarded", "unsuccessful", "cancelled")


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
class Winner:
    """Who won: the name as published, `siret` only when a 14-digit SIRET is known."""

    name: str | None = None
    siret: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "siret": self.siret}


@dataclass
class Award:
    """One winner of one lot (`lot` None when the notice has no lots).

    A consortium's members are one Award each. `amount` is what was awarded,
    never an estimate; when the source gives one amount for several holders
    (a consortium's contract in DECP, TED or eForms), it is carried by the
    first holder only (the mandataire, listed first) and the others have
    None, so that adding up a buyer's awards counts each contract once. When
    the source gives an amount per holder (BOAMP RENSEIGNEMENT), each keeps
    its own.
    """

    lot: str | None = None
    winner: Winner = field(default_factory=Winner)
    amount: Money | None = None
    date: date | None = None

    def to_dict(self) -> dict:
        return {
            "lot": self.lot,
            "winner": self.winner.to_dict(),
            "amount": self.amount.to_dict() if self.amount else None,
            "date": self.date.isoformat() if self.date else None,
        }


@dataclass
class Modification:
    """A DECP modification (avenant): the new total amount and/or duration it sets."""

    date: date | None = None
    amount: Money | None = None
    duration_months: int | None = None

    def to_dict(self) -> dict:
        return {
            "date": self.date.isoformat() if self.date else None,
            "amount": self.amount.to_dict() if self.amount else None,
            "duration_months": self.duration_months,
        }


@dataclass
class Contract:
    """An awarded contract's life (DECP): modifications already applied.

    `amount` and `duration_months` are the latest the modifications set (each
    avenant states the new total, not a difference); `end` is `start` plus
    that duration.
    """

    start: date | None = None
    duration_months: int | None = None
    end: date | None = None
    amount: Money | None = None
    modifications: list[Modification] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "start": self.start.isoformat() if self.start else None,
            "duration_months": self.duration_months,
            "end": self.end.isoformat() if self.end else None,
            "amount": self.amount.to_dict() if self.amount else None,
            "modifications": [modification.to_dict() for modification in self.modifications],
        }


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
    result: str | None = None  # one of RESULTS
    social_clause: bool = False
    insertion_clause: bool = False
    insertion_hours: float | None = None

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "cpv_main": self.cpv_main,
            "estimated_value": self.estimated_value.to_dict() if self.estimated_value else None,
            "deadline": _iso(self.deadline),
            "reserved": sorted(self.reserved),
            "result": self.result,
            "social_clause": self.social_clause,
            "insertion_clause": self.insertion_clause,
            "insertion_hours": _number(self.insertion_hours),
        }


@dataclass
class Notice:
    """A tender notice (or a DECP contract) in the shape the whole veille uses.

    `contract_end` is only known for awarded contracts (DECP): the date the
    contract ends (after its modifications), which announces when it will be
    tendered again. It is kept out of `to_dict()`, whose keys are the
    service's published contract; `contract` carries it there.

    Clauses: `social_clause` is a social clause in the contract's terms
    (execution conditions, eForms social objectives, DECP « Clause sociale »);
    `insertion_clause` the kind that asks for hours of work by people far from
    employment (which is a social clause too), `insertion_hours` how many when
    the notice says. `social_criteria` (award criteria or conditions that
    mention social aims) is kept as it was. The notice carries a clause when
    it or any of its lots does.

    `url` is the official notice; `documents_url` where the consultation
    documents are (DCE, buyer profile), None when the notice does not say.
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
    awards: list[Award] = field(default_factory=list)
    cancelled: bool = False
    result: str | None = None  # one of RESULTS, for the whole procedure
    social_clause: bool = False
    insertion_clause: bool = False
    insertion_hours: float | None = None
    documents_url: str | None = None
    contract: Contract | None = None
    # Parts of the source left unread (an unknown shape), for the reader to
    # count and log; not published.
    unread: list[str] = field(default_factory=list)

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
            "awards": [award.to_dict() for award in self.awards],
            "cancelled": self.cancelled,
            "result": self.result,
            "social_clause": self.social_clause,
            "insertion_clause": self.insertion_clause,
            "insertion_hours": _number(self.insertion_hours),
            "documents_url": self.documents_url,
            "contract": self.contract.to_dict() if self.contract else None,
        }


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None
