"""Training hours, attendance rate and satisfaction over a period."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from formation.domain.figures import ParticipantRecord as P
from formation.domain.figures import SessionRecord, figures_of, report

PARIS = ZoneInfo("Europe/Paris")


def session(sid, code, start, duration="7", participants=(), cancelled=False):
    return SessionRecord(sid, code, code.title(), start, Decimal(duration), cancelled,
                         tuple(participants))


MARCH = session(1, "dume", datetime(2027, 3, 4, 9, tzinfo=PARIS), "3.5", [
    P(1, True, None, 5), P(1, True, Decimal("2"), 4), P(2, False), P(3, None, None, 3)])
APRIL = session(2, "chiffrage", datetime(2027, 4, 8, 9, tzinfo=PARIS), "7", [
    P(2, True, None, 4), P(3, True)])
CANCELLED = session(3, "dume", datetime(2027, 4, 20, 9, tzinfo=PARIS), "3.5",
                    [P(1, None)], cancelled=True)


def test_hours_are_attended_hours_times_people():
    figures = figures_of([MARCH, APRIL])
    # 3.5 + 2 (left early) in March, 7 + 7 in April
    assert figures.training_hours == Decimal("19.50")
    assert figures.people_present == 4
    assert figures.structures_trained == 3  # 1 in March, 2 and 3 in April


def test_attendance_rate_leaves_unrecorded_people_out():
    figures = figures_of([MARCH])
    assert (figures.participants, figures.attendance_recorded, figures.people_present) == (4, 3, 2)
    assert figures.attendance_rate == Decimal("0.667")


def test_satisfaction_is_the_mean_of_the_answers():
    figures = figures_of([MARCH, APRIL])
    assert figures.satisfaction_mean == Decimal("4.00")  # (5 + 4 + 3 + 4) / 4
    assert figures.satisfaction_answers == 4


def test_nothing_recorded_gives_none_not_zero():
    figures = figures_of([session(9, "dume", datetime(2027, 3, 1, tzinfo=PARIS), "3.5",
                                  [P(1, None)])])
    assert figures.attendance_rate is None and figures.satisfaction_mean is None
    assert figures.training_hours == Decimal("0.00")


def test_the_period_splits_by_month_and_module_and_counts_cancellations_apart():
    result = report([CANCELLED, APRIL, MARCH], date(2027, 3, 1), date(2027, 4, 30))
    assert result.total.sessions_held == 2 and result.total.sessions_cancelled == 1
    assert [(b.key, b.label, b.figures.training_hours) for b in result.by_month] == [
        ("2027-03", "mars 2027", Decimal("5.50")), ("2027-04", "avril 2027", Decimal("14.00"))]
    assert [(b.key, b.figures.sessions_held, b.figures.sessions_cancelled)
            for b in result.by_module] == [("chiffrage", 1, 0), ("dume", 1, 1)]


def test_period_bounds_are_inclusive_paris_days():
    late = session(4, "dume", datetime(2027, 3, 31, 23, 30, tzinfo=PARIS), "1", [P(1, True)])
    assert report([late], date(2027, 3, 31), date(2027, 3, 31)).total.people_present == 1
    assert report([late], date(2027, 4, 1), date(2027, 4, 30)).total.sessions_held == 0
    with pytest.raises(ValueError):
        report([], date(2027, 4, 1), date(2027, 3, 1))


def test_each_structure_counts_its_own_people_and_they_add_up():
    result = report([CANCELLED, APRIL, MARCH], date(2027, 3, 1), date(2027, 4, 30))
    by_structure = {b.key: b.figures for b in result.by_structure}
    assert sorted(by_structure) == ["1", "2", "3"]
    assert by_structure["1"].training_hours == Decimal("5.50")  # 3.5 + 2 in March
    assert (by_structure["1"].satisfaction_points, by_structure["1"].satisfaction_answers) == (9, 2)
    assert by_structure["2"].attendance_rate == Decimal("0.500")  # absent in March
    for figure in ("training_hours", "people_present", "attendance_recorded",
                   "satisfaction_points", "satisfaction_answers"):
        assert sum(getattr(f, figure) for f in by_structure.values()) == getattr(
            result.total, figure), figure
