"""A long-lived case continues as new when Temporal suggests it, its state whole.

Temporal suggests it after thousands of events; a dev server of the test's own lowers the
threshold to 30 events, so that a few signals (an advisor's activity, deadline changes)
cross it. The case then goes on under the same workflow id: the next stage changes reach the
new run, the mirror's steps go on from where they were, nothing is lost.
"""

import asyncio
import os
import sys
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from temporalio import activity
from temporalio.client import Client
from temporalio.worker import Worker

from accompagnement.activities import RecordStageInput
from accompagnement.workflows import (CaseActivity, CaseInput, CaseWorkflow, DeadlineChange,
                                      StageChange)
from centrale.testing import free_port, processes, wait_for_port

THRESHOLD = 30


def small_history_server(port: int):
    command = [str(Path(sys.executable).parent / "temporal"), "server", "start-dev",
               "--headless", "--ip", "127.0.0.1", "--port", str(port), "--log-level", "error",
               "--dynamic-config-value", f"limit.historyCount.suggestContinueAsNew={THRESHOLD}"]
    return command, dict(os.environ)


def test_a_long_case_continues_as_new_with_its_whole_state():
    steps: list[int] = []

    @activity.defn(name="accompagnement.record_stage")
    async def record_stage(data: RecordStageInput) -> bool:
        steps.append(data.step)
        return True

    async def scenario(address: str):
        client = await Client.connect(address)
        queue = f"cases-can-{uuid.uuid4().hex[:8]}"
        async with Worker(client, task_queue=queue, workflows=[CaseWorkflow],
                          activities=[record_stage]):
            deadline = datetime.now(timezone.utc) + timedelta(days=60)
            handle = await client.start_workflow(
                CaseWorkflow.run, CaseInput(case_id=9, deadline=deadline.isoformat(),
                                            idle_days={}),
                id=f"case-9-{uuid.uuid4().hex[:8]}", task_queue=queue)
            first_run = handle.first_execution_run_id
            await handle.execute_update(CaseWorkflow.change_stage,
                                        StageChange("drafting", "user:claire"))
            for day in range(12):  # months of an advisor's notes and a deadline moved twice
                await handle.signal(CaseWorkflow.activity_recorded, CaseActivity("user:claire"))
                if day in (4, 9):
                    deadline += timedelta(days=7)
                    await handle.signal(CaseWorkflow.deadline_changed,
                                        DeadlineChange(deadline.isoformat(), "report"))
                await asyncio.sleep(0.05)
            described = await handle.describe()
            for stage in ("review", "submission", "awaiting_result"):
                await handle.execute_update(CaseWorkflow.change_stage,
                                            StageChange(stage, "user:claire"))
            await handle.execute_update(CaseWorkflow.change_stage, StageChange(
                "won", "user:claire", amount="12000"))
            final = await handle.result()
            latest = await client.get_workflow_handle(handle.id).describe()
            return first_run, described, latest, final, deadline

    port = free_port()
    with processes(small_history_server(port)):
        wait_for_port(port)
        first_run, described, latest, final, deadline = asyncio.run(
            scenario(f"127.0.0.1:{port}"))

    assert described.run_id != first_run  # continued as new during the signals
    assert latest.history_length < 4 * THRESHOLD
    assert final.stage == "won"
    assert [(h.from_stage, h.to_stage) for h in final.history] == [
        ("diagnosis", "drafting"), ("drafting", "review"), ("review", "submission"),
        ("submission", "awaiting_result"), ("awaiting_result", "won")]
    assert steps == [1, 2, 3, 4, 5]  # the mirror went on from where it was
    assert datetime.fromisoformat(final.deadline) == deadline  # the moved deadline carried
