"""J-N reminders at the same Paris clock time, deadline consequences, idle escalation."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from accompagnement.domain.reminders import (
    DeadlineAction,
    deadline_action,
    escalation_due_at,
    is_deadline_passed,
    is_idle_too_long,
    reminder_schedule,
    shift_calendar_days,
)
from accompagnement.domain.stages import Stage

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
DEADLINE = datetime(2027, 1, 20, 12, 0, tzinfo=PARIS)


def schedule(deadline, now, offsets=(15, 7, 2, 1)):
    return [(r.label, r.at) for r in reminder_schedule(deadline, now, offsets)]


def test_default_reminders_in_order():
    now = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)
    assert schedule(DEADLINE, now) == [
        ("J-15", datetime(2027, 1, 5, 12, 0, tzinfo=PARIS)),
        ("J-7", datetime(2027, 1, 13, 12, 0, tzinfo=PARIS)),
        ("J-2", datetime(2027, 1, 18, 12, 0, tzinfo=PARIS)),
        ("J-1", datetime(2027, 1, 19, 12, 0, tzinfo=PARIS)),
    ]
    # Winter time: 12:00 in Paris is 11:00 UTC.
    assert reminder_schedule(DEADLINE, now)[0].at.astimezone(UTC) == datetime(2027, 1, 5, 11, 0, tzinfo=UTC)


def test_offsets_are_deduplicated_and_sorted():
    now = datetime(2026, 12, 1, tzinfo=PARIS)
    assert [label for label, _ in schedule(DEADLINE, now, (1, 7, 7, 30))] == ["J-30", "J-7", "J-1"]


def test_past_reminders_are_skipped_and_one_due_now_is_kept():
    at_j7 = datetime(2027, 1, 13, 12, 0, tzinfo=PARIS)
    assert [label for label, _ in schedule(DEADLINE, at_j7)] == ["J-7", "J-2", "J-1"]
    assert [label for label, _ in schedule(DEADLINE, at_j7 + timedelta(seconds=1))] == ["J-2", "J-1"]
    assert schedule(DEADLINE, DEADLINE) == []


def test_now_in_another_zone_is_compared_as_an_instant():
    # 11:30 UTC on J-1 is 12:30 in Paris: J-1 (12:00) is past.
    assert schedule(DEADLINE, datetime(2027, 1, 19, 11, 30, tzinfo=UTC)) == []
    assert [label for label, _ in schedule(DEADLINE, datetime(2027, 1, 19, 10, 30, tzinfo=UTC))] == ["J-1"]


def test_reminders_across_the_spring_change_keep_the_clock_time():
    # Summer time starts on 28/03/2027: J-15 is in winter time, J-7 in summer time.
    deadline = datetime(2027, 4, 5, 12, 0, tzinfo=PARIS)
    reminders = reminder_schedule(deadline, datetime(2027, 3, 1, tzinfo=PARIS))
    assert [(r.label, r.at.astimezone(UTC)) for r in reminders] == [
        ("J-15", datetime(2027, 3, 21, 11, 0, tzinfo=UTC)),
        ("J-7", datetime(2027, 3, 29, 10, 0, tzinfo=UTC)),
        ("J-2", datetime(2027, 4, 3, 10, 0, tzinfo=UTC)),
        ("J-1", datetime(2027, 4, 4, 10, 0, tzinfo=UTC)),
    ]
    assert all(r.at.astimezone(PARIS).hour == 12 for r in reminders)
    # Not simply 15 x 24 hours before:
    assert deadline - reminders[0].at == timedelta(days=14, hours=23)


def test_reminders_across_the_autumn_change_keep_the_clock_time():
    # Winter time starts on 25/10/2026.
    deadline = datetime(2026, 11, 3, 12, 0, tzinfo=PARIS)
    reminders = reminder_schedule(deadline, datetime(2026, 10, 1, tzinfo=PARIS))
    assert [(r.label, r.at.astimezone(UTC)) for r in reminders] == [
        ("J-15", datetime(2026, 10, 19, 10, 0, tzinfo=UTC)),
        ("J-7", datetime(2026, 10, 27, 11, 0, tzinfo=UTC)),
        ("J-2", datetime(2026, 11, 1, 11, 0, tzinfo=UTC)),
        ("J-1", datetime(2026, 11, 2, 11, 0, tzinfo=UTC)),
    ]
    assert deadline - reminders[0].at == timedelta(days=15, hours=1)


def test_a_clock_time_skipped_by_the_spring_change_moves_one_hour_later():
    # 02:30 does not exist on 28/03/2027 in Paris.
    deadline = datetime(2027, 4, 4, 2, 30, tzinfo=PARIS)
    shifted = shift_calendar_days(deadline, -7)
    assert shifted == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
    assert shifted.astimezone(PARIS).strftime("%H:%M %z") == "03:30 +0200"


def test_instants_are_utc_so_durations_are_right():
    # Subtracting two Europe/Paris datetimes would ignore the DST change.
    reminder = reminder_schedule(datetime(2027, 4, 5, 12, 0, tzinfo=PARIS), datetime(2027, 3, 1, tzinfo=PARIS))[0]
    assert reminder.at.utcoffset() == timedelta(0)
    assert reminder.at_paris.strftime("%d/%m/%Y %H:%M %z") == "21/03/2027 12:00 +0100"
    assert datetime(2027, 3, 29, 12, 0, tzinfo=PARIS) - reminder.at == timedelta(days=7, hours=23)


def test_naive_datetimes_and_bad_offsets_are_refused():
    with pytest.raises(ValueError):
        reminder_schedule(datetime(2027, 1, 20, 12), datetime(2027, 1, 1, tzinfo=PARIS))
    with pytest.raises(ValueError):
        reminder_schedule(DEADLINE, datetime(2027, 1, 1, tzinfo=PARIS), (7, 0))


@pytest.mark.parametrize(
    ("stage", "action"),
    [
        (Stage.DIAGNOSIS, DeadlineAction.MARK_MISSED),
        (Stage.DRAFTING, DeadlineAction.MARK_MISSED),
        (Stage.REVIEW, DeadlineAction.MARK_MISSED),
        (Stage.SUBMISSION, DeadlineAction.CONFIRM_DEPOSIT),
        (Stage.AWAITING_RESULT, DeadlineAction.NOTHING),
        (Stage.WON, DeadlineAction.NOTHING),
        (Stage.ABANDONED, DeadlineAction.NOTHING),
    ],
)
def test_what_happens_when_the_deadline_passes(stage, action):
    assert deadline_action(stage) is action


def test_the_deadline_minute_itself_is_too_late():
    assert not is_deadline_passed(DEADLINE, DEADLINE - timedelta(seconds=1))
    assert is_deadline_passed(DEADLINE, DEADLINE)


def test_idle_escalation_after_the_stage_limit():
    last_activity = datetime(2027, 3, 20, 9, 0, tzinfo=PARIS)
    # Drafting may stay idle 10 days; the DST change in between keeps 09:00.
    assert escalation_due_at(Stage.DRAFTING, last_activity) == datetime(2027, 3, 30, 9, 0, tzinfo=PARIS)
    assert escalation_due_at(Stage.REVIEW, last_activity) == datetime(2027, 3, 25, 9, 0, tzinfo=PARIS)
    assert escalation_due_at(Stage.WON, last_activity) is None
    assert escalation_due_at(Stage.DRAFTING, last_activity, {Stage.DRAFTING: 3}) == datetime(
        2027, 3, 23, 9, 0, tzinfo=PARIS
    )
    assert not is_idle_too_long(Stage.DRAFTING, last_activity, datetime(2027, 3, 30, 8, 59, tzinfo=PARIS))
    assert is_idle_too_long(Stage.DRAFTING, last_activity, datetime(2027, 3, 30, 9, 0, tzinfo=PARIS))
