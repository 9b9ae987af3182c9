"""The public report's small-count rule (« secret statistique »), on plain figures."""

from decimal import Decimal

from portail.funders_report import build


def structure(sid, won=0, amount=0, answers=0, name=None):
    return {"structure_id": sid, "name": name or f"Structure secrète {sid}", "departement": "43",
            "helped": True, "diagnoses": 0, "answers_submitted": answers, "won": won,
            "amount_won": amount, "coaching_hours": 0}


def report(*structures):
    return build({"period": {"start": "2027-01-01", "end": "2027-12-31"},
                  "structures_helped": {"total": len(structures)}, "answers_submitted":
                  sum(s["answers_submitted"] for s in structures),
                  "by_month": [], "by_structure": list(structures)}, None, None, ("43",))


def test_one_or_two_structures_make_no_public_figure():
    two = report(structure(1, won=1, amount=1000, answers=1),
                 structure(2, won=1, amount=900, answers=1),
                 structure(3))
    public = two.public()
    assert public.figure("won_cases").value is None
    assert public.figure("won_cases").detail == "non publié : moins de 3 structures"
    assert public.figure("structures_helped").value == 3  # a count of structures names none
    assert two.figure("won_cases").value == 2  # advisors see it
    assert public.structures == () and two.structures != ()
    assert "won_by_origin" not in {chart.key for chart in public.charts}
    # the months would add up to the withheld figure
    assert "answers_by_month" not in {chart.key for chart in public.charts}
    assert public.months == ()


def test_an_amount_one_structure_dominates_is_withheld_and_zero_is_shown():
    dominated = report(structure(1, won=1, amount=90000), structure(2, won=1, amount=5000),
                       structure(3, won=1, amount=5000))
    public = dominated.public()
    assert public.figure("won_cases").value == 3
    assert public.figure("amount_cases").value is None
    assert "l'essentiel" in public.figure("amount_cases").detail
    assert public.figure("need_answers").value == 0 and public.figure("need_answers").text == "0"
    spread = report(structure(1, won=1, amount=4000), structure(2, won=1, amount=3000),
                    structure(3, won=1, amount=3000)).public()
    assert spread.figure("amount_cases").value == Decimal("10000")
    assert "amounts_by_month" not in {chart.key for chart in spread.charts}
