"""Suggested diagnosis scores computed from facts the platform already knows.

The advisor sees these as a starting point and completes the grid: price
position and partner need are judgement calls, and capacity is only computed
when the tender states minimum requirements.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from centrale.cpv import covers, covers_any
from centrale.french import PARIS
from .diagnosis import Criterion
from .reservations import Reservation, is_eligible
from .structures import Capacities, Reference, Structure
from .tenders import Lot, Tender

# (minimum time left, score), best first.
_TIME_LEFT_STEPS = ((30, 5), (21, 4), (14, 3), (7, 2), (3, 1))

RECENT_REFERENCE_YEARS = 3  # buyers usually ask for the last three years


def score_time_left(deadline: datetime, now: datetime) -> int:
    """5 with a month or more left, down to 0 under three days. Days are counted on the Paris
    clock, as J-N reminders are, whatever the offsets given (two Paris datetimes subtract by
    wall clock, a Paris one and a UTC one in real time: an hour apart across a change)."""
    left = (deadline.astimezone(PARIS).replace(tzinfo=None)
            - now.astimezone(PARIS).replace(tzinfo=None))
    for days, score in _TIME_LEFT_STEPS:
        if left >= timedelta(days=days):
            return score
    return 0


def _ratio_score(ratio: Decimal) -> int:
    if ratio >= 1:
        return 5
    if ratio >= Decimal("0.75"):
        return 4
    if ratio >= Decimal("0.5"):
        return 3
    if ratio >= Decimal("0.25"):
        return 2
    return 1 if ratio > 0 else 0


def score_activity_fit(activities: tuple[str, ...], lots: tuple[Lot, ...]) -> int:
    """Share of the targeted lots whose CPV codes the activities cover."""
    if not lots:
        return 0
    covered = sum(1 for lot in lots if covers_any(activities, lot.cpv_codes))
    return _ratio_score(Decimal(covered) / Decimal(len(lots)))


def score_capacity(
    capacities: Capacities, min_headcount: int | None, min_annual_turnover: Decimal | None
) -> int | None:
    """The weakest of headcount / turnover against the tender's minimums; None if none stated.

    An unknown capacity counts as zero: the advisor must fill it in the registry.
    """
    ratios = []
    if min_headcount:
        ratios.append(Decimal(capacities.headcount or 0) / Decimal(min_headcount))
    if min_annual_turnover:
        ratios.append(Decimal(capacities.annual_turnover or 0) / min_annual_turnover)
    if not ratios:
        return None
    weakest = min(ratios)
    # A ratio between 0.75 and 1 still fails a minimum: no "4" here.
    return 5 if weakest >= 1 else min(3, _ratio_score(weakest))


def _reference_matches(reference: Reference, lots: tuple[Lot, ...]) -> bool:
    # Same branch of the CPV tree, either way: a "cleaning" reference speaks
    # for a "building cleaning" lot and conversely.
    return any(
        covers(ref_code, lot_code) or covers(lot_code, ref_code)
        for ref_code in reference.cpv_codes
        for lot in lots
        for lot_code in lot.cpv_codes
    )


def score_references(references: tuple[Reference, ...], lots: tuple[Lot, ...], current_year: int) -> int:
    """5 for three recent similar references or more, 1 for recent but unrelated ones."""
    recent = [ref for ref in references if ref.year >= current_year - RECENT_REFERENCE_YEARS]
    similar = sum(1 for ref in recent if _reference_matches(ref, lots))
    if similar >= 3:
        return 5
    if similar:
        return similar + 2  # 1 -> 3, 2 -> 4
    return 1 if recent else 0


def score_reserved_eligibility(structure: Structure, lots: tuple[Lot, ...]) -> int | None:
    """None when no targeted lot is reserved; else 5 / 3 / 0 for all / some / none eligible."""
    reserved = [lot for lot in lots if lot.reservation is not Reservation.NONE]
    if not reserved:
        return None
    eligible = sum(1 for lot in reserved if is_eligible(structure, lot.reservation))
    if eligible == len(reserved):
        return 5
    return 3 if eligible else 0


def reservation_context(structure: Structure, lots: tuple[Lot, ...]) -> tuple[Reservation, bool]:
    """(fully_reserved_to, eligible_to_reservation) for diagnose()'s hard rule.

    Only when every targeted lot is reserved can the reservation shut the
    structure out; it is then eligible if it may answer at least one of them.
    """
    reservations = [lot.reservation for lot in lots]
    if not reservations or Reservation.NONE in reservations:
        return Reservation.NONE, True
    eligible = any(is_eligible(structure, reservation) for reservation in reservations)
    return reservations[0], eligible


def suggest_scores(
    structure: Structure,
    tender: Tender,
    now: datetime,
    lot_numbers: tuple[str, ...] | None = None,
) -> dict[Criterion, int | None]:
    """Scores the facts support; criteria left out are for the advisor to score."""
    lots = tender.lots_numbered(lot_numbers)
    suggested: dict[Criterion, int | None] = {
        Criterion.ACTIVITY_FIT: score_activity_fit(structure.activities, lots),
        Criterion.REFERENCES: score_references(structure.references, lots, now.year),
        Criterion.RESERVED_ELIGIBILITY: score_reserved_eligibility(structure, lots),
    }
    if tender.deadline is not None:
        suggested[Criterion.TIME_LEFT] = score_time_left(tender.deadline, now)
    capacity = score_capacity(structure.capacities, tender.min_headcount, tender.min_annual_turnover)
    if capacity is not None:
        suggested[Criterion.CAPACITY] = capacity
    return suggested
