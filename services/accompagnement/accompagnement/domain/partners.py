"""Suggest partners for a groupement: who covers what the lead structure lacks.

What the lead lacks, for the lots the case targets:
- lots: lots whose CPV codes its activities do not cover, or reserved to
  structures it does not belong to;
- capacity: headcount or turnover under the tender's minimums (a buyer judges
  a groupement's capacities as a whole, so a partner's add up).

A candidate scores points out of 100 (per component, only when it applies to
this tender, then brought to 100):
- lots it covers among those lacking, and is eligible to ............ 40
- share of the capacity gap it fills ................................ 25
- same département as the place of execution (neighbour: half) ...... 20
- eligibility to the targeted reserved lots .......................... 15
Candidates that bring neither a lot nor capacity are not suggested.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .consortium import ConsortiumRole
from centrale.cpv import covers_any, full_cpv
from centrale.french import euros, join_with_et, plural
from .reservations import Reservation, is_eligible
from .structures import Structure
from centrale.territory import InvalidDepartment, are_neighbours, department_label, department_code
from .tenders import Lot, Tender

LOTS_POINTS = 40
CAPACITY_POINTS = 25
TERRITORY_POINTS = 20
RESERVED_POINTS = 15


@dataclass(frozen=True)
class LeadGaps:
    """What the lead structure cannot bring alone."""

    missing_lots: tuple[Lot, ...]
    headcount: int  # missing people, 0 when enough
    turnover: Decimal  # missing euros, 0 when enough

    @property
    def is_empty(self) -> bool:
        return not self.missing_lots and self.headcount == 0 and self.turnover == 0


@dataclass(frozen=True)
class PartnerSuggestion:
    structure: Structure
    score: int  # 0-100
    covered_lots: tuple[str, ...]  # lot numbers
    suggested_role: ConsortiumRole
    reasons: tuple[str, ...]  # French


def can_hold_lot(structure: Structure, lot: Lot) -> bool:
    """Does the lot's work (CPV) and may answer it (reservation)."""
    return covers_any(structure.activities, lot.cpv_codes) and is_eligible(structure, lot.reservation)


def lead_gaps(lead: Structure, tender: Tender, lot_numbers: tuple[str, ...] | None = None) -> LeadGaps:
    lots = tender.lots_numbered(lot_numbers)
    capacities = lead.capacities
    headcount_gap = max(0, (tender.min_headcount or 0) - (capacities.headcount or 0))
    turnover_gap = max(Decimal(0), (tender.min_annual_turnover or Decimal(0)) - (capacities.annual_turnover or 0))
    missing = tuple(lot for lot in lots if not can_hold_lot(lead, lot))
    return LeadGaps(missing, headcount_gap, turnover_gap)


def suggest_partners(
    lead: Structure,
    tender: Tender,
    candidates: Iterable[Structure],
    *,
    lot_numbers: tuple[str, ...] | None = None,
    limit: int | None = None,
) -> list[PartnerSuggestion]:
    """Candidates ranked best first (score, then lots covered, then name).

    Returns [] when the lead lacks nothing. The lead itself and other
    establishments of the same legal entity (same SIREN) are never suggested.
    """
    gaps = lead_gaps(lead, tender, lot_numbers)
    if gaps.is_empty:
        return []
    lots = tender.lots_numbered(lot_numbers)
    place = _departement(tender.departement) or _departement(lead.departement)
    suggestions = []
    for candidate in candidates:
        if candidate.siren == lead.siren:
            continue
        suggestion = _score_candidate(candidate, lead, gaps, lots, place)
        if suggestion is not None:
            suggestions.append(suggestion)
    suggestions.sort(key=lambda s: (-s.score, -len(s.covered_lots), s.structure.legal_name))
    return suggestions[:limit] if limit is not None else suggestions


def _score_candidate(
    candidate: Structure, lead: Structure, gaps: LeadGaps, lots: tuple[Lot, ...], place: str | None
) -> PartnerSuggestion | None:
    reasons: list[str] = []
    covered = [lot for lot in gaps.missing_lots if can_hold_lot(candidate, lot)]
    for lot in covered:
        reasons.append(_lot_reason(lot, lead))
    for lot in gaps.missing_lots:
        if lot not in covered and covers_any(candidate.activities, lot.cpv_codes):
            reasons.append(
                f"Fait les prestations du {lot.name} mais n'est pas éligible à sa réservation "
                f"({lot.reservation.short_label})."
            )
    capacity_share = _capacity_share(candidate, lead, gaps, reasons)
    if not covered and capacity_share == 0:
        return None

    earned, possible = Decimal(0), 0
    if gaps.missing_lots:
        earned += LOTS_POINTS * Decimal(len(covered)) / len(gaps.missing_lots)
        possible += LOTS_POINTS
    if gaps.headcount or gaps.turnover:
        earned += CAPACITY_POINTS * capacity_share
        possible += CAPACITY_POINTS
    if place is not None:
        earned += _territory_points(candidate, place, reasons)
        possible += TERRITORY_POINTS
    reserved = [lot for lot in lots if lot.reservation is not Reservation.NONE]
    if reserved:
        earned += _reserved_points(candidate, reserved, reasons)
        possible += RESERVED_POINTS

    role = ConsortiumRole.COTRAITANT_CONJOINT if covered else ConsortiumRole.SOUS_TRAITANT
    reasons.append(_role_reason(role))
    score = int((earned * 100 / possible).quantize(Decimal(1), rounding=ROUND_HALF_UP))
    return PartnerSuggestion(candidate, score, tuple(lot.number for lot in covered), role, tuple(reasons))


def _lot_reason(lot: Lot, lead: Structure) -> str:
    codes = ", ".join(full_cpv(code) for code in lot.cpv_codes)
    if covers_any(lead.activities, lot.cpv_codes):
        return (
            f"Peut porter le {lot.name}, réservé aux {lot.reservation.short_label}, "
            "auquel la structure pilote n'est pas éligible."
        )
    return f"Couvre le {lot.name} (CPV {codes}), que la structure pilote ne couvre pas."


def _capacity_share(candidate: Structure, lead: Structure, gaps: LeadGaps, reasons: list[str]) -> Decimal:
    """Average share of the capacity gaps the candidate fills (0 to 1), explaining each."""
    shares = []
    if gaps.headcount:
        mine, theirs = lead.capacities.headcount or 0, candidate.capacities.headcount or 0
        required = mine + gaps.headcount
        shares.append(min(Decimal(1), Decimal(theirs) / gaps.headcount))
        if theirs:
            verdict = "" if mine + theirs >= required else " (encore insuffisant)"
            reasons.append(
                f"Renforce l'effectif : {mine} + {theirs} = {plural(mine + theirs, 'salarié')} "
                f"pour {required} exigés{verdict}."
            )
    if gaps.turnover:
        mine_eur = lead.capacities.annual_turnover or Decimal(0)
        theirs_eur = candidate.capacities.annual_turnover or Decimal(0)
        required_eur = mine_eur + gaps.turnover
        shares.append(min(Decimal(1), theirs_eur / gaps.turnover))
        if theirs_eur:
            verdict = "" if mine_eur + theirs_eur >= required_eur else " (encore insuffisant)"
            reasons.append(
                f"Renforce le chiffre d'affaires : {euros(mine_eur)} + {euros(theirs_eur)} "
                f"= {euros(mine_eur + theirs_eur)} pour {euros(required_eur)} exigés{verdict}."
            )
    return sum(shares, Decimal(0)) / len(shares) if shares else Decimal(0)


def _territory_points(candidate: Structure, place: str, reasons: list[str]) -> Decimal:
    home = _departement(candidate.departement)
    if home == place:
        reasons.append(f"Même département que le lieu d'exécution ({department_label(place)}).")
        return Decimal(TERRITORY_POINTS)
    if home and are_neighbours(home, place):
        reasons.append(
            f"Département voisin ({department_label(home)}) du lieu d'exécution ({department_label(place)})."
        )
        return Decimal(TERRITORY_POINTS) / 2
    where = department_label(home) if home else "inconnu"
    reasons.append(
        f"Hors du département du lieu d'exécution ({department_label(place)}) et de ses voisins : {where}."
    )
    return Decimal(0)


def _reserved_points(candidate: Structure, reserved: list[Lot], reasons: list[str]) -> Decimal:
    eligible = [lot for lot in reserved if is_eligible(candidate, lot.reservation)]
    if eligible:
        names = join_with_et([f"lot {lot.number}" for lot in eligible])
        reasons.append(f"Éligible aux lots réservés : {names}.")
    return RESERVED_POINTS * Decimal(len(eligible)) / len(reserved)


def _role_reason(role: ConsortiumRole) -> str:
    if role is ConsortiumRole.COTRAITANT_CONJOINT:
        return "Rôle suggéré : cotraitant conjoint, chacun exécutant ses lots."
    return "Rôle suggéré : sous-traitant, ses capacités s'ajoutant à celles de la structure pilote."


def _departement(code: str | None) -> str | None:
    if not code:
        return None
    try:
        return department_code(code)
    except InvalidDepartment:
        return None
