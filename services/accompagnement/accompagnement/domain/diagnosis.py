"""Bid / no-bid diagnosis: a grid of weighted criteria scored 0 to 5.

The weighted score is brought to 0-100. At or above GO_THRESHOLD the advice
is "go", at or above REVIEW_THRESHOLD "à examiner", below it "no-go". Hard
rules override the score: a structure cannot answer a tender reserved
entirely to others, nor one whose lots it does not do at all, nor one it has
no time left for. A "go" with a criterion at 0 is lowered to "à examiner"
because one blocking weakness can sink an answer that looks good on average.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from centrale.french import decimal_comma, label, quoted
from .reservations import Reservation

MAX_SCORE = 5
GO_THRESHOLD = Decimal(65)
REVIEW_THRESHOLD = Decimal(45)
WEAK_SCORE = 2  # at or below: a weakness, and a training need
STRONG_SCORE = 4  # at or above: a strength


class Criterion(StrEnum):
    ACTIVITY_FIT = "activity_fit"
    CAPACITY = "capacity"
    REFERENCES = "references"
    TIME_LEFT = "time_left"
    PRICE_POSITION = "price_position"
    RESERVED_ELIGIBILITY = "reserved_eligibility"
    PARTNER_NEED = "partner_need"

    @property
    def label(self) -> str:
        return label("diagnosis_criterion", self)


DEFAULT_WEIGHTS: Mapping[Criterion, int] = {
    Criterion.ACTIVITY_FIT: 3,
    Criterion.CAPACITY: 2,
    Criterion.REFERENCES: 2,
    Criterion.TIME_LEFT: 2,
    Criterion.PRICE_POSITION: 2,
    Criterion.RESERVED_ELIGIBILITY: 1,
    Criterion.PARTNER_NEED: 1,
}


class TrainingModule(StrEnum):
    """Codes of the formation service's modules a diagnosis may recommend."""

    COMPRENDRE_MARCHES_PUBLICS = "comprendre-marches-publics"
    MEMOIRE_TECHNIQUE = "memoire-technique"
    GROUPEMENT = "groupement"
    DUME = "dume"
    CHIFFRAGE = "chiffrage"

    @property
    def title(self) -> str:
        return label("training_module", self)


# Why each pairing: a weak fit usually means the tender was misread; weak
# capacity or autonomy calls for partners; weak references are compensated in
# the mémoire technique; little time calls for a reusable DUME; a weak price
# position calls for costing skills.
MODULE_FOR_WEAK_CRITERION: Mapping[Criterion, TrainingModule] = {
    Criterion.ACTIVITY_FIT: TrainingModule.COMPRENDRE_MARCHES_PUBLICS,
    Criterion.CAPACITY: TrainingModule.GROUPEMENT,
    Criterion.REFERENCES: TrainingModule.MEMOIRE_TECHNIQUE,
    Criterion.TIME_LEFT: TrainingModule.DUME,
    Criterion.PRICE_POSITION: TrainingModule.CHIFFRAGE,
    Criterion.RESERVED_ELIGIBILITY: TrainingModule.COMPRENDRE_MARCHES_PUBLICS,
    Criterion.PARTNER_NEED: TrainingModule.GROUPEMENT,
}


class Decision(StrEnum):
    GO = "go"
    REVIEW = "review"
    NO_GO = "no_go"

    @property
    def label(self) -> str:
        return label("diagnosis_decision", self)


@dataclass(frozen=True)
class Diagnosis:
    decision: Decision
    score: Decimal  # 0-100, one decimal
    reasons: tuple[str, ...]
    recommended_modules: tuple[TrainingModule, ...]


class InvalidGrid(ValueError):
    """Scores or weights that cannot be used; str(error) is in French."""


def diagnose(
    scores: Mapping[Criterion, int | None],
    *,
    weights: Mapping[Criterion, int] = DEFAULT_WEIGHTS,
    fully_reserved_to: Reservation = Reservation.NONE,
    eligible_to_reservation: bool = True,
    go_threshold: Decimal = GO_THRESHOLD,
    review_threshold: Decimal = REVIEW_THRESHOLD,
) -> Diagnosis:
    """Advise go / review / no-go from a complete grid.

    Every criterion must appear in `scores`; None marks it "non applicable"
    (e.g. reserved-lot eligibility when nothing is reserved) and drops it from
    the weighting. `fully_reserved_to` is the reservation shared by all the
    lots the case targets, if any.
    """
    applicable = _check_grid(scores, weights)
    score = weighted_score(applicable, weights)
    hard_stops = _hard_stops(applicable, fully_reserved_to, eligible_to_reservation)
    zeros = [criterion for criterion, value in applicable.items() if value == 0]

    if hard_stops:
        decision = Decision.NO_GO
    elif score >= go_threshold:
        decision = Decision.REVIEW if zeros else Decision.GO
    elif score >= review_threshold:
        decision = Decision.REVIEW
    else:
        decision = Decision.NO_GO

    reasons = list(hard_stops)
    reasons.append(
        f"Score pondéré : {decimal_comma(score)}/100 (go à partir de {decimal_comma(go_threshold)}, "
        f"à examiner à partir de {decimal_comma(review_threshold)})."
    )
    if not hard_stops and score >= go_threshold and zeros:
        names = ", ".join(quoted(criterion.label) for criterion in zeros)
        reasons.append(f"Go ramené à « À examiner » : critère noté 0/5 — {names}.")
    reasons.extend(_strengths_and_weaknesses(applicable, weights))
    return Diagnosis(decision, score, tuple(reasons), recommend_modules(applicable, weights))


def weighted_score(scores: Mapping[Criterion, int], weights: Mapping[Criterion, int]) -> Decimal:
    """Sum of weight x score over applicable criteria, as a share of the maximum, x 100."""
    total_weight = sum(weights[criterion] for criterion in scores)
    if total_weight == 0:
        return Decimal(0)
    points = sum(weights[criterion] * value for criterion, value in scores.items())
    ratio = Decimal(points * 100) / Decimal(total_weight * MAX_SCORE)
    return ratio.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def recommend_modules(
    scores: Mapping[Criterion, int | None], weights: Mapping[Criterion, int] = DEFAULT_WEIGHTS
) -> tuple[TrainingModule, ...]:
    """Modules for the weak criteria, weakest (then heaviest) first, without repeats."""
    weak = sorted(
        (criterion for criterion, value in scores.items() if value is not None and value <= WEAK_SCORE),
        key=lambda criterion: (scores[criterion], -weights[criterion], list(Criterion).index(criterion)),
    )
    modules: list[TrainingModule] = []
    for criterion in weak:
        module = MODULE_FOR_WEAK_CRITERION[criterion]
        if module not in modules:
            modules.append(module)
    return tuple(modules)


def _check_grid(
    scores: Mapping[Criterion, int | None], weights: Mapping[Criterion, int]
) -> dict[Criterion, int]:
    missing = [criterion for criterion in Criterion if criterion not in scores]
    if missing:
        names = ", ".join(quoted(criterion.label) for criterion in missing)
        raise InvalidGrid(f"Critère(s) non noté(s) : {names} (indiquez « non applicable » au besoin).")
    applicable: dict[Criterion, int] = {}
    for criterion in Criterion:
        value = scores[criterion]
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SCORE:
            raise InvalidGrid(f"{quoted(criterion.label)} : la note doit être un entier de 0 à 5 (reçu {value!r}).")
        weight = weights.get(criterion)
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
            raise InvalidGrid(f"{quoted(criterion.label)} : le poids doit être un entier positif ou nul.")
        applicable[criterion] = value
    return applicable


def _hard_stops(
    scores: Mapping[Criterion, int], fully_reserved_to: Reservation, eligible: bool
) -> list[str]:
    stops = []
    if fully_reserved_to is not Reservation.NONE and not eligible:
        stops.append(
            f"Consultation entièrement réservée ({fully_reserved_to.label}) : la structure n'y est pas éligible."
        )
    if scores.get(Criterion.ACTIVITY_FIT) == 0:
        stops.append("Aucune activité de la structure ne correspond aux lots visés.")
    if scores.get(Criterion.TIME_LEFT) == 0:
        stops.append("Le délai restant ne permet plus de préparer une réponse sérieuse.")
    return stops


def _strengths_and_weaknesses(scores: Mapping[Criterion, int], weights: Mapping[Criterion, int]) -> list[str]:
    # Heaviest criteria first: they are what the decision rests on.
    ordered = sorted(scores, key=lambda criterion: (-weights[criterion], list(Criterion).index(criterion)))
    lines = [f"Point fort : {c.label} ({scores[c]}/5)." for c in ordered if scores[c] >= STRONG_SCORE]
    lines += [f"Point faible : {c.label} ({scores[c]}/5)." for c in ordered if scores[c] <= WEAK_SCORE]
    return lines
