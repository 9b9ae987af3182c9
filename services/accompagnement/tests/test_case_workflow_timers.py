"""The CaseWorkflow's timers on Temporal's time-skipping test server.

Activities are replaced by recorders of the same names (the real ones are covered by the
database tests): each call is kept with the server's clock when it was scheduled.
"""

from __future__ import annotations

import asyncio
import sys
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from temporalio import activity
from temporalio.client import WorkflowUpdateFailedError
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from accompagnement.activities import (DeadlineInput, EscalationInput, RecordStageInput,
                                       ReminderInput)
from centrale.french import PARIS
from accompagnement.domain.reminders import shift_calendar_days
from accompagnement.workflows import (CaseActivity, CaseInput, CaseWorkflow, DeadlineChange,
                                      ReminderDays, StageChange)

TEST_SERVER = str(Path(sys.executable).parent / "temporal-test-server")
NO_IDLE: dict[str, int] = {}


@dataclass
class Call:
    name: str
    data: object
    at: datetime  # the server's (skipped) clock when the activity was scheduled


class Recorder:
    def __init__(self) -> None:
        self.calls: list[Call] = []

    def _keep(self, name: str, data) -> bool:
        info = activity.info()
        # A local activity (the stage mirror) runs at the worker's wall-clock time, not at the
        # skipped-to time: when it ran is read from the workflow's history entry instead.
        self.calls.append(Call(name, data, None if info.is_local else info.scheduled_time))
        return True

    def activities(self) -> list:
        @activity.defn(name="accompagnement.record_stage")
        async def record_stage(data: RecordStageInput) -> bool:
            return self._keep("record_stage", data)

        @activity.defn(name="accompagnement.send_reminder")
        async def send_reminder(data: ReminderInput) -> bool:
            return self._keep("send_reminder", data)

        @activity.defn(name="accompagnement.announce_deadline_missed")
        async def announce_deadline_missed(data: DeadlineInput) -> bool:
            return self._keep("announce_deadline_missed", data)

        @activity.defn(name="accompagnement.announce_deposit_unconfirmed")
        async def announce_deposit_unconfirmed(data: DeadlineInput) -> bool:
            return self._keep("announce_deposit_unconfirmed", data)

        @activity.defn(name="accompagnement.escalate_idle")
        async def escalate_idle(data: EscalationInput) -> bool:
            return self._keep("escalate_idle", data)

        return [record_stage, send_reminder, announce_deadline_missed,
                announce_deposit_unconfirmed, escalate_idle]

    def named(self, name: str) -> list[Call]:
        return [call for call in self.calls if call.name == name]

    def reminders(self) -> list[tuple[int, str, datetime]]:
        return [(c.data.days_before, c.data.deadline, c.at) for c in self.named("send_reminder")]


def run_case(scenario):
    """Run ``scenario(env, start[, recorder])`` with a worker; ``start(**input)`` starts a case."""
    recorder = Recorder()

    async def main():
        async with await WorkflowEnvironment.start_time_skipping(
                test_server_existing_path=TEST_SERVER) as env:
            queue = f"cases-{uuid.uuid4().hex[:8]}"
            async with Worker(env.client, task_queue=queue, workflows=[CaseWorkflow],
                              activities=recorder.activities()):
                async def start(**fields):
                    return await env.client.start_workflow(
                        CaseWorkflow.run, CaseInput(case_id=7, **fields),
                        id=f"case-7-{uuid.uuid4().hex[:8]}", task_queue=queue)

                if scenario.__code__.co_argcount == 3:
                    return await scenario(env, start, recorder)
                return await scenario(env, start)

    return asyncio.run(main()), recorder


def noon_in(days: int, now: datetime) -> datetime:
    """A deadline at 12:00 Paris, `days` calendar days after `now`."""
    day = now.astimezone(PARIS).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, 12, 0, tzinfo=PARIS)


def j_minus(deadline: datetime, days: int) -> datetime:
    return shift_calendar_days(deadline, -days)


def close_to(moment: datetime, expected: datetime) -> bool:
    """Within a few seconds: timers fire at their instant, give or take the server's tick."""
    return abs(moment - expected) < timedelta(seconds=5)


def test_reminders_fire_at_j15_j7_j2_j1_in_order_then_the_case_is_missed():
    async def scenario(env, start):
        now = await env.get_current_time()
        deadline = noon_in(20, now)
        handle = await start(deadline=deadline.isoformat(), idle_days=NO_IDLE)
        state = await handle.result()
        return deadline, state

    (deadline, state), recorder = run_case(scenario)
    sent = recorder.reminders()
    assert [days for days, _, _ in sent] == [15, 7, 2, 1]
    assert {deadline_ for _, deadline_, _ in sent} == {deadline.isoformat()}
    for days, _, at in sent:
        assert close_to(at, j_minus(deadline, days)), (days, at)
    # At the deadline, still in diagnosis: missed, then announced to the advisor.
    assert [c.name for c in recorder.calls] == ["send_reminder"] * 4 + [
        "record_stage", "announce_deadline_missed"]
    missed = recorder.named("record_stage")[0]
    assert missed.at is None  # a local activity
    assert (missed.data.from_stage, missed.data.to_stage, missed.data.changed_by) == (
        "diagnosis", "missed", "système")
    assert close_to(datetime.fromisoformat(state.history[0].at), deadline)
    assert recorder.named("announce_deadline_missed")[0].data.deadline == deadline.isoformat()
    assert state.stage == "missed"
    assert [(h.from_stage, h.to_stage) for h in state.history] == [("diagnosis", "missed")]
    assert state.history[0].reason == ("Date limite de dépôt passée sans que la réponse ait "
                                       "été déposée.")


def test_a_moved_deadline_replans_the_reminders_and_nothing_fires_at_the_old_dates():
    async def scenario(env, start):
        now = await env.get_current_time()
        first = noon_in(20, now)
        handle = await start(deadline=first.isoformat(), idle_days=NO_IDLE)
        await env.sleep(timedelta(days=6))  # J-15 of the first deadline has gone out
        later = noon_in(30, now)
        await handle.signal(CaseWorkflow.deadline_changed,
                            DeadlineChange(later.isoformat(), "Rectificatif"))
        planned = await handle.query(CaseWorkflow.get_state)
        state = await handle.result()
        return first, later, planned, state

    (first, later, planned, state), recorder = run_case(scenario)
    assert [(d, deadline) for d, deadline, _ in recorder.reminders()] == [
        (15, first.isoformat()),
        (15, later.isoformat()), (7, later.isoformat()), (2, later.isoformat()),
        (1, later.isoformat()),
    ]
    old_dates = [j_minus(first, days) for days in (7, 2, 1)] + [first]
    for call in recorder.calls:
        assert call.at is None or not any(close_to(call.at, old) for old in old_dates), call
    for days, _, at in recorder.reminders()[1:]:
        assert close_to(at, j_minus(later, days))
    assert [r.days_before for r in planned.next_reminders] == [15, 7, 2, 1]
    assert planned.deadline == later.isoformat()
    assert recorder.named("record_stage")[0].data.to_stage == "missed"
    assert close_to(datetime.fromisoformat(state.history[-1].at), later)
    assert state.stage == "missed"


def test_a_deadline_moved_earlier_skips_the_reminders_already_past():
    async def scenario(env, start):
        now = await env.get_current_time()
        handle = await start(deadline=noon_in(20, now).isoformat(), idle_days=NO_IDLE)
        await env.sleep(timedelta(days=6))
        sooner = noon_in(9, now)
        await handle.signal(CaseWorkflow.deadline_changed, DeadlineChange(sooner.isoformat()))
        return sooner, await handle.result()

    (sooner, state), recorder = run_case(scenario)
    # J-15 of the first deadline; then J-7 of the new one was already past when it came.
    assert [(d, deadline) for d, deadline, _ in recorder.reminders()][1:] == [
        (2, sooner.isoformat()), (1, sooner.isoformat())]
    assert state.stage == "missed"


def test_reminder_days_set_per_case():
    async def scenario(env, start):
        now = await env.get_current_time()
        deadline = noon_in(40, now)
        handle = await start(deadline=deadline.isoformat(), reminder_days=[30, 3],
                             idle_days=NO_IDLE)
        await env.sleep(timedelta(days=12))
        await handle.signal(CaseWorkflow.reminder_days_changed, ReminderDays([10, 1]))
        return deadline, await handle.result()

    (deadline, _state), recorder = run_case(scenario)
    # J-30 under the first days; then, from day 12, J-10 and J-1 (J-3 is no longer wanted).
    assert [days for days, _, _ in recorder.reminders()] == [30, 10, 1]
    for days, _, at in recorder.reminders():
        assert close_to(at, j_minus(deadline, days))


def test_an_invalid_transition_is_refused_with_its_french_reason():
    async def scenario(env, start):
        now = await env.get_current_time()
        handle = await start(deadline=noon_in(20, now).isoformat(), idle_days=NO_IDLE)
        refusals = []
        for change in (StageChange("submission", "user:claire"),
                       StageChange("missed", "user:claire"),
                       StageChange("won", "user:claire", amount="1000")):
            with pytest.raises(WorkflowUpdateFailedError) as refused:
                await handle.execute_update(CaseWorkflow.change_stage, change)
            refusals.append(refused.value.cause.message)
        moved = await handle.execute_update(CaseWorkflow.change_stage,
                                            StageChange("drafting", "user:claire", "Go"))
        await handle.execute_update(CaseWorkflow.change_stage,
                                    StageChange("abandoned", "user:claire"))
        return refusals, moved, await handle.result()

    (refusals, moved, state), recorder = run_case(scenario)
    assert refusals[0] == ("Impossible de passer de « Diagnostic » à « Dépôt » : l'étape "
                           "« Rédaction » doit précéder.")
    assert refusals[1].startswith("Impossible de passer à « Manqué » : la date limite de dépôt (")
    assert refusals[1].endswith(") n'est pas passée. Pour renoncer, choisissez « Abandonné ».")
    assert refusals[2] == ("Impossible de passer de « Diagnostic » à « Gagné » : le résultat ne "
                           "s'enregistre qu'une fois la réponse déposée (étape « En attente du "
                           "résultat »).")
    assert moved.stage == "drafting"
    assert [(h.from_stage, h.to_stage) for h in state.history] == [
        ("diagnosis", "drafting"), ("drafting", "abandoned")]
    assert [c.data.step for c in recorder.named("record_stage")] == [1, 2]
    assert recorder.named("send_reminder") == []  # closed before its first reminder


def test_at_the_deadline_a_case_at_the_deposit_stage_asks_for_confirmation():
    async def scenario(env, start):
        now = await env.get_current_time()
        deadline = noon_in(3, now)
        handle = await start(deadline=deadline.isoformat(), idle_days=NO_IDLE)
        for stage in ("drafting", "review", "submission"):
            await handle.execute_update(CaseWorkflow.change_stage, StageChange(stage, "user:c"))
        await env.sleep(timedelta(days=4))
        after = await handle.query(CaseWorkflow.get_state)
        with pytest.raises(WorkflowUpdateFailedError) as back:
            await handle.execute_update(CaseWorkflow.change_stage, StageChange("review", "u"))
        await handle.execute_update(CaseWorkflow.change_stage,
                                    StageChange("awaiting_result", "user:c", "Déposé à 11 h 50"))
        with pytest.raises(WorkflowUpdateFailedError) as no_amount:
            await handle.execute_update(CaseWorkflow.change_stage, StageChange("won", "user:c"))
        await handle.execute_update(CaseWorkflow.change_stage, StageChange(
            "won", "user:c", amount="84500.00", feedback="Meilleure valeur technique"))
        return deadline, after, back.value.cause.message, no_amount.value.cause.message, \
            await handle.result()

    (deadline, after, back, no_amount, state), recorder = run_case(scenario)
    assert after.stage == "submission"
    [confirm] = recorder.named("announce_deposit_unconfirmed")
    assert confirm.data.deadline == deadline.isoformat() and close_to(confirm.at, deadline)
    assert recorder.named("announce_deadline_missed") == []
    assert back.startswith("Impossible de passer à « Relecture » : la date limite de dépôt")
    assert no_amount == ("Indiquez le montant attribué (en euros HT) pour enregistrer un marché "
                         "gagné.")
    won = recorder.named("record_stage")[-1].data
    assert (won.to_stage, won.amount, won.feedback) == ("won", "84500.00",
                                                        "Meilleure valeur technique")
    assert state.stage == "won"


def test_an_idle_stage_is_escalated_once_and_activity_restarts_the_count():
    async def scenario(env, start, recorder):
        handle = await start(idle_days={"diagnosis": 7, "drafting": 10})
        await env.sleep(timedelta(days=9))  # escalated on day 7, once
        await handle.signal(CaseWorkflow.activity_recorded, CaseActivity("user:claire"))
        await env.sleep(timedelta(days=3))  # day 12: active 3 days ago, nothing new
        quiet = len(recorder.named("escalate_idle"))
        await env.sleep(timedelta(days=5))  # day 17: idle 8 days since the activity
        await handle.execute_update(CaseWorkflow.change_stage, StageChange("abandoned", "u"))
        return quiet, await handle.result()

    (quiet, state), recorder = run_case(scenario)
    escalations = recorder.named("escalate_idle")
    assert quiet == 1
    assert [(e.data.stage, e.data.idle_days) for e in escalations] == [("diagnosis", 7)] * 2
    first, second = escalations
    assert timedelta(days=7) <= second.at - first.at < timedelta(days=11)
    assert len(state.escalations) == 2
    assert recorder.named("send_reminder") == []  # no deadline, no reminder
