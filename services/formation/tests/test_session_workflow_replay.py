"""Histories recorded from earlier versions of the SessionWorkflow replay on today's code:
a running session's workflow survives a deployment (Temporal replays its history on the new
code, and any other command than the recorded one fails the workflow task).

``histories/`` holds our own recordings, made on the time-skipping server:
- ``session_v2_*``: the version before sessions could move (commit 88ce2b1), a session held
  through its survey and one cancelled after its J-7;
- ``session_v3_moved``: today's version, a session moved two weeks later after its J-7.
Record a new one whenever the workflow changes shape, and keep the old ones.
"""

from pathlib import Path

import pytest
from temporalio import workflow

from centrale.testing import replay_recorded
from formation.workflows import SessionInput, SessionMove, SessionWorkflow

HISTORIES = Path(__file__).with_name("histories")
RECORDED = sorted(path.name for path in HISTORIES.glob("session_*.json"))


def test_there_are_histories_of_each_version():
    assert {name.split("_")[1] for name in RECORDED} >= {"v2", "v3"}


@pytest.mark.parametrize("name", RECORDED)
def test_a_recorded_history_replays_on_todays_code(name):
    replay_recorded(HISTORIES / name, [SessionWorkflow])  # raises on a mismatch


@workflow.defn(name="TrainingSession", sandboxed=False)
class IgnoresMoves(SessionWorkflow):
    """Today's workflow, but deaf to moves: what a careless change would deploy."""

    @workflow.run
    async def run(self, data: SessionInput) -> str:
        return await super().run(data)

    @workflow.signal(name="reschedule")
    def reschedule(self, move: SessionMove) -> None:
        pass


def test_a_changed_workflow_fails_the_replay():
    """The check can fail: the v3 history (a move, then J-7 again) does not replay on a
    workflow that ignores moves."""
    with pytest.raises(workflow.NondeterminismError):
        replay_recorded(HISTORIES / "session_v3_moved.json", [IgnoresMoves])
