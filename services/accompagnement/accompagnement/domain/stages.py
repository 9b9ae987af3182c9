"""The stages of a case and which moves between them are allowed.

    diagnosis -> drafting -> review -> submission -> awaiting_result -> won | lost
    any stage before the result -> abandoned; before the deposit -> missed

Going back one step is allowed before the deposit (a review sends the answer
back to drafting). "Abandoned" after the deposit records a procedure the buyer
declared "sans suite". Terminal stages never change.
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from enum import StrEnum

from centrale.french import label, long_datetime, quoted


class Stage(StrEnum):
    DIAGNOSIS = "diagnosis"
    DRAFTING = "drafting"
    REVIEW = "review"
    SUBMISSION = "submission"
    AWAITING_RESULT = "awaiting_result"
    WON = "won"
    LOST = "lost"
    ABANDONED = "abandoned"
    MISSED = "missed"

    @property
    def label(self) -> str:
        return label("stage", self)

    @property
    def is_terminal(self) -> bool:
        return self in TERMINAL_STAGES


# The working path, in order; its position gives "forward" and "back".
PIPELINE = (Stage.DIAGNOSIS, Stage.DRAFTING, Stage.REVIEW, Stage.SUBMISSION, Stage.AWAITING_RESULT)
TERMINAL_STAGES = frozenset({Stage.WON, Stage.LOST, Stage.ABANDONED, Stage.MISSED})
# Stages in which the answer is not yet deposited: the deadline still matters.
BEFORE_DEPOSIT = frozenset({Stage.DIAGNOSIS, Stage.DRAFTING, Stage.REVIEW, Stage.SUBMISSION})

ALLOWED_TRANSITIONS: dict[Stage, frozenset[Stage]] = {
    Stage.DIAGNOSIS: frozenset({Stage.DRAFTING, Stage.ABANDONED, Stage.MISSED}),
    Stage.DRAFTING: frozenset({Stage.REVIEW, Stage.DIAGNOSIS, Stage.ABANDONED, Stage.MISSED}),
    Stage.REVIEW: frozenset({Stage.SUBMISSION, Stage.DRAFTING, Stage.ABANDONED, Stage.MISSED}),
    Stage.SUBMISSION: frozenset({Stage.AWAITING_RESULT, Stage.REVIEW, Stage.ABANDONED, Stage.MISSED}),
    Stage.AWAITING_RESULT: frozenset({Stage.WON, Stage.LOST, Stage.ABANDONED}),
    Stage.WON: frozenset(),
    Stage.LOST: frozenset(),
    Stage.ABANDONED: frozenset(),
    Stage.MISSED: frozenset(),
}


class TransitionRefused(ValueError):
    """A stage change the rules refuse; str(error) is the French reason."""


def is_allowed(current: Stage, target: Stage) -> bool:
    return target in ALLOWED_TRANSITIONS[current]


def allowed_targets(current: Stage) -> list[Stage]:
    """The stages reachable from current, in the order of Stage (for menus)."""
    return [stage for stage in Stage if stage in ALLOWED_TRANSITIONS[current]]


def check_transition(
    current: Stage,
    target: Stage,
    *,
    deadline: datetime | None = None,
    now: datetime | None = None,
) -> None:
    """Raise TransitionRefused with a French reason when current -> target is not allowed.

    With deadline and now (aware datetimes), also refuse "missed" before the
    deadline and any move back into the work stages after it.
    """
    current, target = Stage(current), Stage(target)
    if not is_allowed(current, target):
        raise TransitionRefused(_refusal_reason(current, target))
    if deadline is None or now is None:
        return
    # Compared as UTC instants: same-tzinfo comparisons ignore the DST offset.
    passed = now.astimezone(timezone.utc) >= deadline.astimezone(timezone.utc)
    if target is Stage.MISSED and not passed:
        raise TransitionRefused(
            f"Impossible de passer à {quoted(Stage.MISSED.label)} : la date limite de dépôt "
            f"({long_datetime(deadline)}) n'est pas passée. Pour renoncer, choisissez "
            f"{quoted(Stage.ABANDONED.label)}."
        )
    if target in BEFORE_DEPOSIT and passed:
        raise TransitionRefused(
            f"Impossible de passer à {quoted(target.label)} : la date limite de dépôt "
            f"({long_datetime(deadline)}) est passée."
        )


def _refusal_reason(current: Stage, target: Stage) -> str:
    prefix = f"Impossible de passer de {quoted(current.label)} à {quoted(target.label)} : "
    if current is target:
        return f"Le dossier est déjà à l'étape {quoted(current.label)}."
    if current.is_terminal:
        return prefix + "le dossier est clos."
    if target in (Stage.WON, Stage.LOST):
        return prefix + (
            "le résultat ne s'enregistre qu'une fois la réponse déposée "
            f"(étape {quoted(Stage.AWAITING_RESULT.label)})."
        )
    if target is Stage.MISSED:
        return prefix + "la réponse a déjà été déposée."
    here, there = PIPELINE.index(current), PIPELINE.index(target)
    if there > here:
        return prefix + f"l'étape {quoted(PIPELINE[here + 1].label)} doit précéder."
    if current is Stage.AWAITING_RESULT:
        return prefix + "la réponse a déjà été déposée."
    return prefix + f"on ne revient qu'à l'étape précédente ({quoted(PIPELINE[here - 1].label)})."


def check_outcome(stage: Stage, amount: Decimal | None) -> None:
    """A won case needs the amount awarded (euros, excluding VAT); a lost one may carry the amount offered."""
    if stage is Stage.WON and amount is None:
        raise TransitionRefused("Indiquez le montant attribué (en euros HT) pour enregistrer un marché gagné.")
    if stage not in (Stage.WON, Stage.LOST) and amount is not None:
        raise TransitionRefused("Un montant ne s'enregistre qu'avec un résultat : gagné ou perdu.")
    if amount is not None and amount < 0:
        raise TransitionRefused("Le montant ne peut pas être négatif.")
