"""Impact figures over a period."""

from datetime import date
from decimal import Decimal

import pytest

from accompagnement.domain.impact import (CaseRecord, CoachingRecord, DiagnosisRecord, ImpactInput,
                                         InsertionRecord, StructureRecord, compute_impact)
from accompagnement.domain.stages import Stage
from accompagnement.domain.structures import Category

STRUCTURES = (
    StructureRecord("s1", Category.ASSOCIATION),
    StructureRecord("s2", Category.INSERTION),
    StructureRecord("s3", Category.ESAT),
    StructureRecord("s4", Category.SCOP),
    StructureRecord("s5", Category.EA),
)

CASES = (
    CaseRecord("c1", "s1", Stage.WON, date(2026, 11, 10), submitted_on=date(2027, 1, 15),
               decided_on=date(2027, 3, 1), amount_won=Decimal("45000.00"),
               consortium_formed_on=date(2026, 12, 1), closed_on=date(2027, 3, 1)),
    CaseRecord("c2", "s2", Stage.LOST, date(2027, 2, 1), submitted_on=date(2027, 3, 10),
               decided_on=date(2027, 5, 2), closed_on=date(2027, 5, 2)),
    CaseRecord("c3", "s2", Stage.WON, date(2027, 4, 1), submitted_on=date(2027, 5, 20),
               decided_on=date(2027, 7, 1), amount_won=Decimal("120000.50"),
               consortium_formed_on=date(2027, 4, 15), closed_on=date(2027, 7, 1)),
    CaseRecord("c4", "s3", Stage.DRAFTING, date(2027, 11, 20)),
    # Closed before the period: neither active nor counted.
    CaseRecord("c5", "s4", Stage.MISSED, date(2026, 5, 1), closed_on=date(2026, 6, 1)),
    CaseRecord("c6", "s1", Stage.AWAITING_RESULT, date(2027, 9, 1), submitted_on=date(2027, 10, 1),
               consortium_formed_on=date(2027, 9, 10)),
    CaseRecord("c7", "s2", Stage.WON, date(2026, 10, 1), submitted_on=date(2026, 11, 1),
               decided_on=date(2026, 12, 15), amount_won=Decimal("9999.00"), closed_on=date(2026, 12, 15)),
    # Decided after the period: active in it, but its loss belongs to the next period.
    CaseRecord("c8", "s3", Stage.LOST, date(2027, 12, 1), submitted_on=date(2027, 12, 20),
               decided_on=date(2028, 1, 10), closed_on=date(2028, 1, 10)),
)

COACHING = (
    CoachingRecord("s1", date(2027, 1, 10), Decimal("2.5"), "c1"),
    CoachingRecord("s2", date(2027, 2, 3), Decimal("3")),
    CoachingRecord("s5", date(2027, 6, 1), Decimal("1.5")),
    CoachingRecord("s4", date(2026, 12, 1), Decimal("4")),
)


def test_impact_of_2027():
    figures = compute_impact(ImpactInput(date(2027, 1, 1), date(2027, 12, 31), STRUCTURES, CASES, COACHING))
    by_month = figures.pop("by_month")
    by_structure = figures.pop("by_structure")
    assert [row["structure_id"] for row in by_structure] == ["s1", "s2", "s3", "s4", "s5"]
    for figure in ("answers_submitted", "won", "amount_won", "coaching_hours"):
        assert sum(row[figure] for row in by_structure) == figures[figure], figure
    assert [row["helped"] for row in by_structure] == [True, True, True, False, True]
    assert [row["month"] for row in by_month] == [date(2027, m, 1) for m in range(1, 13)]
    assert sum(row["answers_submitted"] for row in by_month) == figures["answers_submitted"]
    assert sum(row["won"] for row in by_month) == figures["won"]
    assert sum(row["amount_won"] for row in by_month) == figures["amount_won"]
    assert figures == {
        "period": {"start": date(2027, 1, 1), "end": date(2027, 12, 31)},
        "structures_helped": {
            "total": 4,
            "by_category": {"association": 1, "insertion": 1, "ea": 1, "esat": 1, "scop": 0, "scic": 0, "esus": 0},
        },
        "cases_by_stage": {
            "diagnosis": 0, "drafting": 1, "review": 0, "submission": 0, "awaiting_result": 1,
            "won": 2, "lost": 2, "abandoned": 0, "missed": 0,
        },
        "answers_submitted": 5,
        "won": 2,
        "lost": 1,
        "win_rate": Decimal("0.6667"),
        "amount_won": Decimal("165000.50"),
        "coaching_hours": Decimal("7.0"),
        "consortia_formed": 2,
        "diagnoses": 0,
        "departements": [],
        "insertion_hours": Decimal(0),
    }


TERRITORY = (
    StructureRecord("s1", Category.ASSOCIATION, "Asso du Forez", "42"),
    StructureRecord("s2", Category.INSERTION, "ACI du Velay", "43"),
    StructureRecord("s3", Category.ESAT, "ESAT de Roanne", "42"),
)
DIAGNOSES = (
    DiagnosisRecord("c1", "s1", date(2027, 1, 5)),
    DiagnosisRecord("c1", "s1", date(2027, 1, 20)),  # done again: one case diagnosed
    DiagnosisRecord("c3", "s2", date(2027, 4, 2)),
    DiagnosisRecord("c4", "s3", date(2028, 1, 2)),  # after the period
)


def test_a_territory_keeps_its_structures_and_their_cases():
    cases = tuple(case for case in CASES if case.structure_id in {"s1", "s2", "s3"})
    coaching = tuple(record for record in COACHING if record.structure_id in {"s1", "s2"})
    loire = compute_impact(ImpactInput(date(2027, 1, 1), date(2027, 12, 31), TERRITORY, cases,
                                       coaching, DIAGNOSES, frozenset({"42"})))
    everywhere = compute_impact(ImpactInput(date(2027, 1, 1), date(2027, 12, 31), TERRITORY,
                                            cases, coaching, DIAGNOSES))
    assert loire["departements"] == ["42"]
    assert [row["name"] for row in loire["by_structure"]] == ["Asso du Forez", "ESAT de Roanne"]
    assert (loire["won"], loire["amount_won"], loire["diagnoses"]) == (1, Decimal("45000.00"), 1)
    assert (everywhere["won"], everywhere["diagnoses"]) == (2, 2)
    assert loire["structures_helped"]["total"] == 2
    assert loire["coaching_hours"] == Decimal("2.5")


INSERTION = (
    InsertionRecord("k1", date(2027, 1, 1), Decimal("80"), ("42",), "s1"),
    InsertionRecord("k1", date(2027, 2, 1), Decimal("120.5"), ("42",), "s1"),
    InsertionRecord("k2", date(2027, 2, 1), Decimal("35"), ("43",)),  # won by a company
    InsertionRecord("k2", date(2026, 12, 1), Decimal("1000"), ("43",)),  # before the period
)


def test_insertion_hours_count_the_months_a_period_touches_in_its_territory():
    year = compute_impact(ImpactInput(date(2027, 1, 1), date(2027, 12, 31), TERRITORY,
                                      insertion=INSERTION))
    assert year["insertion_hours"] == Decimal("235.5")
    assert [row["insertion_hours"] for row in year["by_month"]][:3] == [
        Decimal("80"), Decimal("155.5"), Decimal(0)]
    assert {row["structure_id"]: row["insertion_hours"] for row in year["by_structure"]} == {
        "s1": Decimal("200.5"), "s2": Decimal(0), "s3": Decimal(0)}
    # A period starting mid-February still counts February's hours, entered for the month.
    cut = compute_impact(ImpactInput(date(2027, 2, 15), date(2027, 3, 31), TERRITORY,
                                     insertion=INSERTION))
    assert cut["insertion_hours"] == Decimal("155.5")
    # The Haute-Loire keeps the contracts of its tenders, whoever won them.
    velay = compute_impact(ImpactInput(date(2027, 1, 1), date(2027, 12, 31), TERRITORY,
                                       departements=frozenset({"43"}), insertion=INSERTION))
    assert velay["insertion_hours"] == Decimal("35")


def test_a_case_still_open_counts_in_later_periods():
    figures = compute_impact(ImpactInput(date(2030, 1, 1), date(2030, 3, 31), STRUCTURES, CASES, COACHING))
    # Only c4 (in drafting, never closed) and c6 (awaiting its result) are still open.
    assert figures["structures_helped"]["total"] == 2
    assert figures["structures_helped"]["by_category"]["esat"] == 1
    assert figures["cases_by_stage"]["drafting"] == 1
    assert figures["cases_by_stage"]["awaiting_result"] == 1
    assert figures["answers_submitted"] == 0


def test_an_empty_period():
    quiet = compute_impact(ImpactInput(date(2025, 1, 1), date(2025, 12, 31), STRUCTURES, CASES, COACHING))
    assert quiet["structures_helped"]["total"] == 0
    assert quiet["win_rate"] is None
    assert quiet["amount_won"] == Decimal("0.00")
    assert quiet["coaching_hours"] == Decimal(0)


def test_inconsistent_input_is_refused():
    with pytest.raises(ValueError, match="La fin de la période précède son début."):
        compute_impact(ImpactInput(date(2027, 12, 31), date(2027, 1, 1)))
    with pytest.raises(ValueError, match="Structures sans catégorie connue : s9."):
        orphan = CaseRecord("c", "s9", Stage.DIAGNOSIS, date(2027, 1, 1))
        compute_impact(ImpactInput(date(2027, 1, 1), date(2027, 12, 31), (), (orphan,)))
