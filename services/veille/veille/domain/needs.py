"""A buyer's need: what a public or private buyer posts to the Centrale, and how it becomes a
tender like any other.

Its life: ``submitted`` (waiting for an advisor) → ``published`` (validated: a tender of
source ``centrale`` exists, matched and alerted like every tender) or ``returned`` (sent back
with a reason; the buyer edits it, which submits it again) → ``decided`` (the buyer recorded
whom it chose, and for how much, or that it chose nobody).

Its tender is built here as a normalised notice (the shape every source's notices take), so
that veille stores, merges, searches and matches it with no special case; the outcome is an
award notice of the same procedure, which gives the tender its result and the winners' awards
(the structures' references in the directory).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Iterable

from centrale.cpv import InvalidCpv, cpv_prefix, full_cpv, suggest_from_text
from centrale.french import label
from centrale.refusals import Invalid
from centrale.siret import InvalidSiret, validate_siret
from centrale.territory import InvalidDepartment, department_code

SOURCE = "centrale"
STATUSES = ("submitted", "returned", "published", "decided")
BUDGET_BANDS = ("lt4k", "4k-40k", "40k-90k", "90k-215k", "215k+", "unknown")
RESERVATIONS = ("none", "insertion", "sheltered_workshop", "ess")
BUYER_KINDS = ("public", "private")
MAX_LOTS = 10


def procedure_id(need_id: int) -> str:
    return f"centrale-besoin-{need_id}"


@dataclass(frozen=True)
class NeedInput:
    object: str
    description: str
    cpv_codes: tuple[str, ...]
    departement: str
    place: str
    lots: tuple[dict[str, Any], ...]
    deadline: datetime
    budget_band: str
    reservation: str = "none"
    social_clause: bool = False
    insertion_hours: Decimal | None = None


def need_errors(need: NeedInput, now: datetime) -> dict[str, list[str]]:
    """Field -> French messages; empty when the need can be submitted."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if need.deadline <= now:
        add("deadline", "La date limite de réponse doit être à venir.")
    for index, code in enumerate(need.cpv_codes):
        try:
            cpv_prefix(code)
        except InvalidCpv as error:
            add(f"cpv_codes.{index}", str(error))
    try:
        department_code(need.departement)
    except InvalidDepartment as error:
        add("departement", str(error))
    if len(need.lots) > MAX_LOTS:
        add("lots", f"{MAX_LOTS} lots au plus.")
    for index, lot in enumerate(need.lots):
        if lot.get("cpv"):
            try:
                cpv_prefix(lot["cpv"])
            except InvalidCpv as error:
                add(f"lots.{index}.cpv", str(error))
    if need.insertion_hours is not None and not need.social_clause:
        add("insertion_hours", "Des heures d'insertion supposent une clause sociale.")
    return errors


def checked_buyer_siret(siret: str | None) -> str | None:
    if not siret:
        return None
    try:
        return validate_siret(siret)
    except InvalidSiret as error:
        raise Invalid(str(error), {"json": {"buyer_siret": [str(error)]}}) from None


def can_edit(status: str) -> bool:
    return status in ("submitted", "returned")


def review_refusal(status: str) -> str | None:
    if status != "submitted":
        return (f"Ce besoin est « {label('need_status', status)} » : seul un besoin en attente "
                "de validation se valide ou se renvoie.")
    return None


def answer_refusal(status: str, deadline: datetime, now: datetime) -> str | None:
    if status != "published":
        return "Ce besoin n'est pas ouvert aux réponses."
    if deadline <= now:
        return "La date limite de réponse de ce besoin est passée."
    return None


def outcome_refusal(status: str, answered: Iterable[int], chosen: dict[int, Any]) -> str | None:
    if status not in ("published", "decided"):
        return "Le résultat se note sur un besoin publié."
    strangers = sorted(set(chosen) - set(answered))
    if strangers:
        return ("Seules les structures qui ont répondu peuvent être retenues (structure"
                f" n° {', '.join(map(str, strangers))}).")
    return None


def _lot_id(index: int) -> str:
    return str(index + 1)


def notice_of(need: dict[str, Any]) -> dict[str, Any]:
    """The tender's notice of a validated need (the keys of every normalised notice, and
    ``centrale`` for what only a need says)."""
    hours = float(need["insertion_hours"]) if need.get("insertion_hours") is not None else None
    reserved = [] if need["reservation"] == "none" else [need["reservation"]]
    codes = [full_cpv(code) for code in need["cpv_codes"]]
    lots = [{
        "id": _lot_id(index), "title": lot["title"],
        "cpv_main": full_cpv(lot["cpv"]) if lot.get("cpv") else (codes[0] if codes else None),
        "estimated_value": None, "deadline": need["deadline"].isoformat(timespec="seconds"),
        "reserved": reserved, "result": None,
        "social_clause": bool(need["social_clause"]),
        "insertion_clause": hours is not None, "insertion_hours": None,
    } for index, lot in enumerate(need["lots"])]
    place = need.get("place") or ""
    description = need["description"]
    if place:
        description += f"\n\nLieu : {place}."
    description += f"\nBudget : {label('budget_band', need['budget_band'])}."
    return {
        "source": SOURCE, "source_id": f"besoin-{need['id']}",
        "procedure_id": procedure_id(need["id"]), "notice_type": "contract",
        "title": need["object"], "description": description,
        "buyer": {"name": need["buyer_name"], "siret": need["buyer_siret"], "nuts": None,
                  "kind": need["buyer_kind"]},
        "cpv_main": codes[0] if codes else None, "cpv_additional": codes[1:],
        "place": {"nuts": [], "departments": [need["departement"]]},
        "estimated_value": None, "deadline": need["deadline"].isoformat(timespec="seconds"),
        "procedure_type": "adapted" if need["buyer_kind"] == "public" else "other",
        "reserved": reserved, "social_criteria": bool(need["social_clause"]), "lots": lots,
        "url": None, "language": "fr", "awards": [], "cancelled": False, "result": None,
        "social_clause": bool(need["social_clause"]), "insertion_clause": hours is not None,
        "insertion_hours": hours, "documents_url": None, "contract": None,
        "centrale": {"need_id": need["id"], "budget_band": need["budget_band"]},
    }


@dataclass(frozen=True)
class Winner:
    structure_id: int
    name: str
    siret: str | None
    amount: Decimal | None


def outcome_notice(need: dict[str, Any], winners: list[Winner], on: date) -> dict[str, Any]:
    """The award notice of the need's procedure: its winners and amounts, or that nobody was
    chosen (« infructueux »)."""
    return {
        "source": SOURCE, "source_id": f"besoin-{need['id']}-resultat",
        "procedure_id": procedure_id(need["id"]), "notice_type": "award",
        "title": need["object"],
        "buyer": {"name": need["buyer_name"], "siret": need["buyer_siret"], "nuts": None,
                  "kind": need["buyer_kind"]},
        "awards": [{"lot": None, "winner": {"name": w.name, "siret": w.siret},
                    "amount": ({"amount": float(w.amount), "currency": "EUR"}
                               if w.amount is not None else None),
                    "date": on.isoformat()} for w in winners],
        "result": "awarded" if winners else "unsuccessful", "cancelled": False,
    }


def suggested_cpv(text: str) -> list[dict[str, str]]:
    """The activities (CPV codes) a need's words suggest, best first."""
    return [{"code": code, "label": label_fr} for code, label_fr, _score in suggest_from_text(text)]
