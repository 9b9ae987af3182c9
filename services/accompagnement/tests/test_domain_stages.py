"""Stage transitions of a case, with their French refusals."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from accompagnement.domain.stages import (
    ALLOWED_TRANSITIONS,
    Stage,
    TransitionRefused,
    allowed_targets,
    check_outcome,
    check_transition,
)

PARIS = ZoneInfo("Europe/Paris")

ALLOWED = [
    (Stage.DIAGNOSIS, Stage.DRAFTING),
    (Stage.DIAGNOSIS, Stage.ABANDONED),
    (Stage.DIAGNOSIS, Stage.MISSED),
    (Stage.DRAFTING, Stage.REVIEW),
    (Stage.DRAFTING, Stage.DIAGNOSIS),
    (Stage.DRAFTING, Stage.ABANDONED),
    (Stage.DRAFTING, Stage.MISSED),
    (Stage.REVIEW, Stage.SUBMISSION),
    (Stage.REVIEW, Stage.DRAFTING),
    (Stage.REVIEW, Stage.ABANDONED),
    (Stage.REVIEW, Stage.MISSED),
    (Stage.SUBMISSION, Stage.AWAITING_RESULT),
    (Stage.SUBMISSION, Stage.REVIEW),
    (Stage.SUBMISSION, Stage.ABANDONED),
    (Stage.SUBMISSION, Stage.MISSED),
    (Stage.AWAITING_RESULT, Stage.WON),
    (Stage.AWAITING_RESULT, Stage.LOST),
    (Stage.AWAITING_RESULT, Stage.ABANDONED),
]


@pytest.mark.parametrize(("current", "target"), ALLOWED)
def test_allowed_transitions(current, target):
    check_transition(current, target)


def test_the_table_holds_exactly_the_allowed_transitions():
    table = {(current, target) for current, targets in ALLOWED_TRANSITIONS.items() for target in targets}
    assert table == set(ALLOWED)


def test_labels_are_french():
    assert [stage.label for stage in Stage] == [
        "Diagnostic", "Rédaction", "Relecture", "Dépôt", "En attente du résultat",
        "Gagné", "Perdu", "Abandonné", "Manqué",
    ]


def test_terminal_stages():
    assert {stage for stage in Stage if stage.is_terminal} == {Stage.WON, Stage.LOST, Stage.ABANDONED, Stage.MISSED}
    assert allowed_targets(Stage.WON) == []
    assert allowed_targets(Stage.REVIEW) == [Stage.DRAFTING, Stage.SUBMISSION, Stage.ABANDONED, Stage.MISSED]


@pytest.mark.parametrize(
    ("current", "target", "reason"),
    [
        (Stage.DIAGNOSIS, Stage.SUBMISSION,
         "Impossible de passer de « Diagnostic » à « Dépôt » : l'étape « Rédaction » doit précéder."),
        (Stage.DIAGNOSIS, Stage.REVIEW,
         "Impossible de passer de « Diagnostic » à « Relecture » : l'étape « Rédaction » doit précéder."),
        (Stage.DRAFTING, Stage.AWAITING_RESULT,
         "Impossible de passer de « Rédaction » à « En attente du résultat » : l'étape « Relecture » doit précéder."),
        (Stage.DRAFTING, Stage.WON,
         "Impossible de passer de « Rédaction » à « Gagné » : le résultat ne s'enregistre qu'une fois "
         "la réponse déposée (étape « En attente du résultat »)."),
        (Stage.SUBMISSION, Stage.LOST,
         "Impossible de passer de « Dépôt » à « Perdu » : le résultat ne s'enregistre qu'une fois "
         "la réponse déposée (étape « En attente du résultat »)."),
        (Stage.SUBMISSION, Stage.DIAGNOSIS,
         "Impossible de passer de « Dépôt » à « Diagnostic » : on ne revient qu'à l'étape précédente (« Relecture »)."),
        (Stage.AWAITING_RESULT, Stage.MISSED,
         "Impossible de passer de « En attente du résultat » à « Manqué » : la réponse a déjà été déposée."),
        (Stage.AWAITING_RESULT, Stage.SUBMISSION,
         "Impossible de passer de « En attente du résultat » à « Dépôt » : la réponse a déjà été déposée."),
        (Stage.WON, Stage.LOST, "Impossible de passer de « Gagné » à « Perdu » : le dossier est clos."),
        (Stage.MISSED, Stage.DRAFTING, "Impossible de passer de « Manqué » à « Rédaction » : le dossier est clos."),
        (Stage.ABANDONED, Stage.DIAGNOSIS,
         "Impossible de passer de « Abandonné » à « Diagnostic » : le dossier est clos."),
        (Stage.REVIEW, Stage.REVIEW, "Le dossier est déjà à l'étape « Relecture »."),
    ],
)
def test_refused_transitions_say_why_in_french(current, target, reason):
    with pytest.raises(TransitionRefused) as error:
        check_transition(current, target)
    assert str(error.value) == reason


def test_plain_strings_are_accepted_as_stages():
    check_transition("diagnosis", "drafting")


DEADLINE = datetime(2027, 1, 20, 12, 0, tzinfo=PARIS)


def test_missed_is_refused_before_the_deadline():
    with pytest.raises(TransitionRefused) as error:
        check_transition(Stage.DRAFTING, Stage.MISSED, deadline=DEADLINE, now=datetime(2027, 1, 20, 11, 59, tzinfo=PARIS))
    assert str(error.value) == (
        "Impossible de passer à « Manqué » : la date limite de dépôt (mercredi 20 janvier 2027 à 12 h 00) n'est pas passée. "
        "Pour renoncer, choisissez « Abandonné »."
    )
    check_transition(Stage.DRAFTING, Stage.MISSED, deadline=DEADLINE, now=DEADLINE)


def test_after_the_deadline_only_closing_moves_remain():
    after = datetime(2027, 1, 20, 12, 1, tzinfo=PARIS)
    with pytest.raises(TransitionRefused) as error:
        check_transition(Stage.REVIEW, Stage.SUBMISSION, deadline=DEADLINE, now=after)
    assert str(error.value) == (
        "Impossible de passer à « Dépôt » : la date limite de dépôt (mercredi 20 janvier 2027 à 12 h 00) est passée."
    )
    with pytest.raises(TransitionRefused):
        check_transition(Stage.REVIEW, Stage.DRAFTING, deadline=DEADLINE, now=after)
    # Recording a deposit made in time stays possible afterwards.
    check_transition(Stage.SUBMISSION, Stage.AWAITING_RESULT, deadline=DEADLINE, now=after)
    check_transition(Stage.REVIEW, Stage.ABANDONED, deadline=DEADLINE, now=after)


def test_outcome_amounts():
    check_outcome(Stage.WON, Decimal("45000.00"))
    check_outcome(Stage.LOST, None)
    check_outcome(Stage.LOST, Decimal("38000.00"))
    with pytest.raises(TransitionRefused, match="Indiquez le montant attribué"):
        check_outcome(Stage.WON, None)
    with pytest.raises(TransitionRefused, match="négatif"):
        check_outcome(Stage.WON, Decimal("-1"))
    with pytest.raises(TransitionRefused, match="qu'avec un résultat"):
        check_outcome(Stage.ABANDONED, Decimal("10"))
