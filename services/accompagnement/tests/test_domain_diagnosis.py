"""Bid / no-bid grid, hard rules, training recommendations and suggested scores."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from accompagnement.domain.diagnosis import (
    Criterion,
    Decision,
    InvalidGrid,
    TrainingModule,
    diagnose,
    recommend_modules,
)
from accompagnement.domain.reservations import Reservation
from accompagnement.domain.scoring import (
    reservation_context,
    score_activity_fit,
    score_capacity,
    score_references,
    score_time_left,
    suggest_scores,
)
from accompagnement.domain.structures import Capacities, Category, InsertionKind, LegalForm, Reference, Structure
from accompagnement.domain.tenders import Lot, Tender

PARIS = ZoneInfo("Europe/Paris")
C = Criterion


def grid(fit, capacity, references, time_left, price, reserved, partner):
    return {
        C.ACTIVITY_FIT: fit, C.CAPACITY: capacity, C.REFERENCES: references, C.TIME_LEFT: time_left,
        C.PRICE_POSITION: price, C.RESERVED_ELIGIBILITY: reserved, C.PARTNER_NEED: partner,
    }


def test_a_good_grid_is_a_go():
    # weights 3,2,2,2,2,(n/a),1: (12+6+6+8+6+4) / (12 x 5) = 70 %
    result = diagnose(grid(4, 3, 3, 4, 3, None, 4))
    assert result.decision is Decision.GO
    assert result.score == Decimal("70.0")
    assert result.reasons == (
        "Score pondéré : 70/100 (go à partir de 65, à examiner à partir de 45).",
        "Point fort : Adéquation des activités aux lots (4/5).",
        "Point fort : Délai restant (4/5).",
        "Point fort : Autonomie (besoin de partenaires) (4/5).",
    )
    assert result.recommended_modules == ()


def test_a_middling_grid_is_to_review_with_training_for_the_weak_points():
    # (9+4+4+6+4+5+2) / (13 x 5) = 34 / 65 = 52.3 %
    result = diagnose(grid(3, 2, 2, 3, 2, 5, 2))
    assert result.decision is Decision.REVIEW
    assert result.score == Decimal("52.3")
    assert result.reasons == (
        "Score pondéré : 52,3/100 (go à partir de 65, à examiner à partir de 45).",
        "Point fort : Éligibilité aux lots réservés (5/5).",
        "Point faible : Capacités (effectif, chiffre d'affaires, assurance) (2/5).",
        "Point faible : Références (2/5).",
        "Point faible : Positionnement prix (2/5).",
        "Point faible : Autonomie (besoin de partenaires) (2/5).",
    )
    assert [module.value for module in result.recommended_modules] == ["groupement", "memoire-technique", "chiffrage"]


def test_a_weak_grid_is_a_no_go():
    result = diagnose(grid(1, 1, 1, 1, 1, None, 1))
    assert result.decision is Decision.NO_GO
    assert result.score == Decimal("20.0")
    assert [m.value for m in result.recommended_modules] == [
        "comprendre-marches-publics", "groupement", "memoire-technique", "dume", "chiffrage",
    ]


def test_the_go_threshold_is_inclusive():
    weights = {C.ACTIVITY_FIT: 5, C.CAPACITY: 5, C.REFERENCES: 4, C.TIME_LEFT: 3, C.PRICE_POSITION: 3,
               C.RESERVED_ELIGIBILITY: 1, C.PARTNER_NEED: 1}
    # (20+15+12+9+9) / (20 x 5) = 65 % exactly
    assert diagnose(grid(4, 3, 3, 3, 3, None, None), weights=weights).decision is Decision.GO
    assert diagnose(grid(4, 3, 3, 3, 2, None, None), weights=weights).score == Decimal("62.0")
    assert diagnose(grid(4, 3, 3, 3, 2, None, None), weights=weights).decision is Decision.REVIEW


def test_a_fully_reserved_tender_is_a_no_go_for_an_ineligible_structure():
    result = diagnose(
        grid(5, 5, 5, 5, 5, 0, 5), fully_reserved_to=Reservation.HANDICAP, eligible_to_reservation=False
    )
    assert result.decision is Decision.NO_GO
    assert result.reasons[0] == (
        "Consultation entièrement réservée (Réservé aux EA et ESAT (art. L2113-12)) : "
        "la structure n'y est pas éligible."
    )


def test_no_activity_fit_or_no_time_left_is_a_no_go_whatever_the_score():
    result = diagnose(grid(0, 5, 5, 5, 5, None, 5))
    assert result.score == Decimal("75.0")  # (0+10+10+10+10+5) / 60
    assert result.decision is Decision.NO_GO
    assert result.reasons[0] == "Aucune activité de la structure ne correspond aux lots visés."
    result = diagnose(grid(5, 5, 5, 0, 5, None, 5))
    assert result.decision is Decision.NO_GO
    assert result.reasons[0] == "Le délai restant ne permet plus de préparer une réponse sérieuse."


def test_a_go_with_a_criterion_at_zero_is_lowered_to_review():
    # (15+0+10+10+10+5) / 60 = 83.3 %
    result = diagnose(grid(5, 0, 5, 5, 5, None, 5))
    assert result.score == Decimal("83.3")
    assert result.decision is Decision.REVIEW
    assert result.reasons[1] == (
        "Go ramené à « À examiner » : critère noté 0/5 — « Capacités (effectif, chiffre d'affaires, assurance) »."
    )
    assert result.recommended_modules == (TrainingModule.GROUPEMENT,)


def test_an_incomplete_or_out_of_range_grid_is_refused():
    scores = grid(3, 3, 3, 3, 3, None, 3)
    del scores[C.PRICE_POSITION]
    with pytest.raises(InvalidGrid) as error:
        diagnose(scores)
    assert str(error.value) == (
        "Critère(s) non noté(s) : « Positionnement prix » (indiquez « non applicable » au besoin)."
    )
    with pytest.raises(InvalidGrid, match="entier de 0 à 5"):
        diagnose(grid(6, 3, 3, 3, 3, None, 3))
    with pytest.raises(InvalidGrid, match="poids"):
        diagnose(grid(3, 3, 3, 3, 3, None, 3), weights={C.ACTIVITY_FIT: 3})


def test_module_labels_and_codes():
    assert [m.value for m in TrainingModule] == [
        "comprendre-marches-publics", "memoire-technique", "groupement", "dume", "chiffrage",
    ]
    assert recommend_modules({C.PRICE_POSITION: 0, C.REFERENCES: 2}) == (
        TrainingModule.CHIFFRAGE, TrainingModule.MEMOIRE_TECHNIQUE,
    )


# --- suggested scores -------------------------------------------------------------

DEADLINE = datetime(2027, 1, 20, 12, 0, tzinfo=PARIS)


@pytest.mark.parametrize(
    ("left", "score"),
    [
        (timedelta(days=30), 5),
        (timedelta(days=29, hours=23), 4),
        (timedelta(days=21), 4),
        (timedelta(days=14), 3),
        (timedelta(days=7), 2),
        (timedelta(days=3), 1),
        (timedelta(days=2, hours=23), 0),
        (timedelta(days=-1), 0),
    ],
)
def test_score_time_left(left, score):
    assert score_time_left(DEADLINE, DEADLINE - left) == score


def test_time_left_is_counted_on_the_paris_clock_whatever_the_offsets():
    # 12:00 summer time, 30 days 30 min on the Paris clock after 11:30 winter time (though
    # 29 d 23 h 30 of real time: the clocks went forward on 28 March): a month, in Paris or
    # given in UTC.
    deadline = datetime(2027, 4, 2, 12, 0, tzinfo=PARIS)
    now = datetime(2027, 3, 3, 11, 30, tzinfo=PARIS)
    assert score_time_left(deadline, now) == 5
    assert score_time_left(deadline.astimezone(timezone.utc), now.astimezone(timezone.utc)) == 5
    assert score_time_left(deadline, datetime(2027, 3, 3, 12, 30, tzinfo=PARIS)) == 4


LOTS = (
    Lot("1", "Nettoyage des locaux", ("90911200",)),
    Lot("2", "Entretien des espaces verts", ("77310000",), Reservation.INSERTION),
    Lot("3", "Blanchisserie", ("98310000",), Reservation.HANDICAP),
    Lot("4", "Vitrerie", ("90911300",)),
)


def test_score_activity_fit_is_the_share_of_lots_covered():
    assert score_activity_fit(("9091",), LOTS) == 3  # lots 1 and 4: 50 %
    assert score_activity_fit(("9091", "7731"), LOTS) == 4  # 75 %
    assert score_activity_fit(("9091", "7731", "9831"), LOTS) == 5
    assert score_activity_fit(("90911300",), LOTS) == 2  # 25 %
    assert score_activity_fit(("5552",), LOTS) == 0


def test_score_capacity_against_the_tender_minimums():
    assert score_capacity(Capacities(headcount=20, annual_turnover=Decimal(500000)), 20, Decimal(500000)) == 5
    assert score_capacity(Capacities(headcount=16, annual_turnover=Decimal(500000)), 20, Decimal(500000)) == 3
    assert score_capacity(Capacities(headcount=12, annual_turnover=Decimal(300000)), 20, Decimal(500000)) == 3
    assert score_capacity(Capacities(headcount=8), 20, None) == 2
    assert score_capacity(Capacities(), 20, None) == 0
    assert score_capacity(Capacities(headcount=3), None, None) is None


def test_score_references_counts_recent_similar_contracts():
    similar = Reference("Nettoyage des écoles", "Ville de Firminy", 2025, cpv_codes=("90910000",))
    old = Reference("Nettoyage de la mairie", "Ville de Roanne", 2021, cpv_codes=("90911200",))
    other = Reference("Traiteur", "CCAS de Saint-Étienne", 2026, cpv_codes=("55520000",))
    assert score_references((similar, old, other), LOTS, 2027) == 3
    assert score_references((similar, similar, similar), LOTS, 2027) == 5
    assert score_references((other,), LOTS, 2027) == 1
    assert score_references((old,), LOTS, 2027) == 0


def test_suggest_scores_for_an_aci_on_two_lots():
    aci = Structure(
        "Régie de quartier Le Soleil", "55208131700018", LegalForm.ASSOCIATION, Category.INSERTION, "42",
        insertion_kind=InsertionKind.ACI, activities=("9091", "7731"),
        capacities=Capacities(headcount=12, annual_turnover=Decimal(300000)),
        references=(Reference("Nettoyage des écoles", "Ville de Firminy", 2026, cpv_codes=("90911200",)),),
    )
    tender = Tender("27-001", "Entretien des bâtiments", "Saint-Étienne Métropole", LOTS,
                    deadline=DEADLINE, departement="42", min_headcount=15)
    now = datetime(2026, 12, 28, 9, 0, tzinfo=PARIS)
    assert suggest_scores(aci, tender, now, ("1", "2")) == {
        C.ACTIVITY_FIT: 5,
        C.REFERENCES: 3,
        C.RESERVED_ELIGIBILITY: 5,
        C.TIME_LEFT: 4,  # 23 days and 3 hours left
        C.CAPACITY: 3,  # 12 of 15
    }
    # On all four lots: lot 3 is reserved to EA/ESAT and not in its trades.
    assert suggest_scores(aci, tender, now)[C.RESERVED_ELIGIBILITY] == 3
    assert suggest_scores(aci, tender, now)[C.ACTIVITY_FIT] == 4


def test_reservation_context_feeds_the_hard_rule():
    ea = Structure("Blanchisserie Adaptée du Gier", "35600000049837", LegalForm.SAS, Category.EA, "42")
    aci = Structure("Jardins du Forez", "73282932000074", LegalForm.ASSOCIATION, Category.INSERTION, "42",
                    insertion_kind=InsertionKind.ACI)
    reserved_lots = LOTS[1:3]  # lot 2 for SIAE, lot 3 for EA/ESAT
    assert reservation_context(ea, reserved_lots) == (Reservation.INSERTION, True)
    assert reservation_context(ea, LOTS[1:2]) == (Reservation.INSERTION, False)
    assert reservation_context(aci, LOTS[2:3]) == (Reservation.HANDICAP, False)
    assert reservation_context(ea, LOTS) == (Reservation.NONE, True)  # lots 1 and 4 are open
    fully_reserved_to, eligible = reservation_context(aci, LOTS[2:3])
    result = diagnose(
        grid(5, 5, 5, 5, 5, 0, 5), fully_reserved_to=fully_reserved_to, eligible_to_reservation=eligible
    )
    assert result.decision is Decision.NO_GO
