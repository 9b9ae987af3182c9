"""J-7 and J-1 at the session's Paris clock time, then the closing of registrations."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from formation.domain.schedule import StepKind, move_refusal, session_plan

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
START = datetime(2027, 3, 4, 9, 0, tzinfo=PARIS)


def plan(now, **kwargs):
    return [(step.label, step.at) for step in session_plan(START, now, **kwargs)]


def test_reminders_then_closing_in_order():
    assert plan(datetime(2027, 1, 1, tzinfo=PARIS)) == [
        ("J-7", datetime(2027, 2, 25, 8, 0, tzinfo=UTC)),
        ("J-1", datetime(2027, 3, 3, 8, 0, tzinfo=UTC)),
        ("clôture des inscriptions", datetime(2027, 3, 3, 8, 0, tzinfo=UTC)),
    ]


def test_a_longer_closing_delay_comes_before_j1():
    steps = session_plan(START, datetime(2027, 1, 1, tzinfo=PARIS), close_hours=Decimal(48))
    assert [s.label for s in steps] == ["J-7", "clôture des inscriptions", "J-1"]
    assert steps[1].at == datetime(2027, 3, 2, 9, 0, tzinfo=PARIS)


def test_past_reminders_are_dropped_and_a_late_closing_happens_at_once():
    now = datetime(2027, 3, 3, 20, 0, tzinfo=PARIS)  # the evening before: J-1 is past
    steps = session_plan(START, now)
    assert [(s.kind, s.at) for s in steps] == [(StepKind.CLOSE_REGISTRATIONS, now)]
    assert session_plan(START, START) == []  # started: nothing left to do


def test_reminders_keep_the_clock_time_across_the_spring_change():
    # Summer time starts on 28/03/2027: J-7 of a 9:00 session on 1/04 is 9:00 in winter time.
    start = datetime(2027, 4, 1, 9, 0, tzinfo=PARIS)
    steps = session_plan(start, datetime(2027, 3, 1, tzinfo=PARIS))
    j7 = steps[0]
    assert j7.label == "J-7" and j7.at.astimezone(PARIS).hour == 9
    assert j7.at == datetime(2027, 3, 25, 8, 0, tzinfo=UTC)
    assert start - j7.at == timedelta(days=6, hours=23)  # not 7 x 24 h


def test_configurable_reminder_days():
    steps = session_plan(START, datetime(2027, 1, 1, tzinfo=PARIS), reminder_days=(1, 14, 7, 7))
    assert [s.label for s in steps if s.kind is StepKind.REMINDER] == ["J-14", "J-7", "J-1"]
    with pytest.raises(ValueError):
        session_plan(START, datetime(2027, 1, 1, tzinfo=PARIS), reminder_days=(0,))


def test_only_a_scheduled_session_not_yet_started_moves_to_a_future_date():
    now = datetime(2027, 1, 10, 12, tzinfo=timezone.utc)
    start = datetime(2027, 2, 4, 9, tzinfo=PARIS)
    later, later_end = start + timedelta(days=7), start + timedelta(days=7, hours=3)
    assert move_refusal("scheduled", start, later, later_end, now) is None
    assert move_refusal("cancelled", start, later, later_end, now) == \
        "Cette session a été annulée : programmez-en une nouvelle."
    assert move_refusal("held", start, later, later_end, now) == \
        "Cette session a déjà commencé : elle ne peut plus être déplacée."
    assert move_refusal("scheduled", start, later, later_end, start + timedelta(minutes=1)) == \
        "Cette session a déjà commencé : elle ne peut plus être déplacée."
    assert move_refusal("scheduled", start, now - timedelta(hours=1), later_end, now) == \
        "La nouvelle date de début doit être dans le futur."
    assert move_refusal("scheduled", start, later, later, now) == "La fin doit suivre le début."
    with pytest.raises(ValueError):
        move_refusal("scheduled", start, later.replace(tzinfo=None), later_end, now)
