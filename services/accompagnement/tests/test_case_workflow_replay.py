"""Histories recorded from the CaseWorkflow replay on today's code, so that a change that
would strand the running cases after a deployment fails here first.

``histories/case_v3_won.json`` is our own recording (time-skipping server, both patches of
today's version): a case moved through every stage with a J-15 reminder sent, its deadline
moved and an advisor's activity signalled, won after the deadline. Record another whenever the
workflow changes shape, and keep the old ones.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from temporalio import workflow

from accompagnement.workflows import CaseInput, CaseState, CaseWorkflow
from centrale.testing import replay_recorded

HISTORIES = Path(__file__).with_name("histories")
RECORDED = sorted(path.name for path in HISTORIES.glob("case_*.json"))


def test_there_is_a_recorded_history():
    assert RECORDED


@pytest.mark.parametrize("name", RECORDED)
def test_a_recorded_history_replays_on_todays_code(name):
    replay_recorded(HISTORIES / name, [CaseWorkflow])  # raises on a mismatch


@workflow.defn(name="Case", sandboxed=False)
class WithoutTimers(CaseWorkflow):
    """Today's workflow with its timers patched out: what a careless change would deploy."""

    @workflow.run
    async def run(self, data: CaseInput) -> CaseState:
        await workflow.wait_condition(lambda: self._closed)
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.state


def test_a_changed_workflow_fails_the_replay():
    with pytest.raises(workflow.NondeterminismError):
        replay_recorded(HISTORIES / "case_v3_won.json", [WithoutTimers])
