"""What a case's workflow does now and when it wakes next (pure)."""

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from accompagnement.domain.case_timers import CaseClock, due_now, next_wakeup
from accompagnement.domain.reminders import DeadlineAction
from accompagnement.domain.stages import Stage

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
DEADLINE = datetime(2027, 1, 20, 12, 0, tzinfo=PARIS)
OPENED = datetime(2026, 12, 1, 9, 0, tzinfo=PARIS)


def clock(**changes) -> CaseClock:
    values = dict(stage=Stage.DRAFTING, last_activity_at=OPENED, deadline=DEADLINE,
                  planned_from=OPENED, idle_days={})
    values.update(changes)
    return CaseClock(**values)


def at(day: int, month: int = 1, year: int = 2027, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, 0, tzinfo=PARIS)


def test_the_next_wakeup_is_the_next_reminder_then_the_deadline():
    assert next_wakeup(clock(), OPENED) == at(5).astimezone(UTC)  # J-15
    done = clock(reminders_done=frozenset({15, 7, 2, 1}))
    assert next_wakeup(done, at(19)) == DEADLINE.astimezone(UTC)
    assert next_wakeup(clock(deadline_done=True, reminders_done=frozenset({15, 7, 2, 1})),
                       at(19)) is None


def test_a_reminder_is_due_at_its_instant_and_only_the_latest_of_several():
    assert due_now(clock(), at(5)).reminder.days_before == 15
    assert due_now(clock(), at(5) - timedelta(seconds=1)).is_empty
    late = due_now(clock(), at(18, hour=13))  # J-15, J-7 and J-2 all past: J-2 only
    assert late.reminder.days_before == 2
    assert [r.days_before for r in late.skipped] == [15, 7]


def test_reminders_before_the_plan_are_never_sent():
    replanned = clock(planned_from=at(10))  # the deadline became known on 10/01
    assert [r.days_before for r in replanned.planned_reminders()] == [7, 2, 1]


def test_the_deadline_consequence_follows_the_stage():
    assert due_now(clock(), DEADLINE).deadline is DeadlineAction.MARK_MISSED
    assert due_now(clock(stage=Stage.SUBMISSION), DEADLINE).deadline is \
        DeadlineAction.CONFIRM_DEPOSIT
    assert due_now(clock(stage=Stage.AWAITING_RESULT), DEADLINE).is_empty
    passed = due_now(clock(), DEADLINE + timedelta(hours=1))
    assert passed.reminder is None and len(passed.skipped) == 4  # too late for reminders
    assert due_now(clock(deadline_done=True, reminders_done=frozenset({15, 7, 2, 1})),
                   DEADLINE).is_empty


def test_an_idle_stage_is_escalated_once():
    idle = clock(deadline=None, idle_days={Stage.DRAFTING: 10})
    assert next_wakeup(idle, OPENED) == at(11, 12, 2026, hour=9).astimezone(UTC)
    assert due_now(idle, at(11, 12, 2026, hour=9)).escalate is True
    assert due_now(clock(deadline=None, idle_days={Stage.DRAFTING: 10}, escalated=True),
                   at(20, 12, 2026)).is_empty
    assert next_wakeup(clock(stage=Stage.WON), OPENED) is None
