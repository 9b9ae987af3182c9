"""A worker killed in the middle of a case: another one takes the case on where it was, with
its history intact (real Temporal dev server, ``accompagnement worker`` as a child process)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from accompagnement.workflows import CaseWorkflow
from centrale.testing import RoleProcess, outbox_events, wait_until

from .conftest import PARIS

pytestmark = pytest.mark.integration


def WorkerProcess(log: Path) -> RoleProcess:
    """``accompagnement worker`` on this session's task queue, its output in a file."""
    return RoleProcess("accompagnement", "worker", log, ready_text="worker started")


@pytest.fixture
def worker_processes(tmp_path):
    started: list[WorkerProcess] = []

    def start(name: str) -> WorkerProcess:
        started.append(WorkerProcess(tmp_path / f"{name}.log"))
        return started[-1]

    yield start
    for process in started:
        process.kill()


def test_a_killed_worker_leaves_the_case_where_it_was(app, client, db, service_headers,
                                                      new_structure, worker_processes):
    first = worker_processes("first")
    deadline = (datetime.now(PARIS) + timedelta(days=30)).replace(hour=12, minute=0, second=0,
                                                                  microsecond=0)
    case = client.post("/api/cases", headers=service_headers, json={
        "structure_id": new_structure()["id"], "buyer_name": "Mutuelle de la Haute-Loire",
        "title": "Devis : entretien des locaux de l'agence du Puy",
        "deadline": deadline.isoformat()}).json
    moved = client.post(f"/api/cases/{case['id']}/stage", headers=service_headers,
                        json={"stage": "drafting", "reason": "Go"})
    assert moved.status_code == 200 and moved.json["stage"] == "drafting"

    first.kill()  # SIGKILL in the middle of the case: its timers are pending
    later = deadline + timedelta(days=5)
    # Signalled while no worker runs: the server keeps the signal in the case's history.
    assert client.patch(f"/api/cases/{case['id']}", headers=service_headers,
                        json={"deadline": later.isoformat()}).status_code == 200
    time.sleep(1)

    worker_processes("second")
    resumed = client.post(f"/api/cases/{case['id']}/stage", headers=service_headers,
                          json={"stage": "review", "reason": "Mémoire relu"})
    assert resumed.status_code == 200, resumed.json
    assert [h["to_stage"] for h in resumed.json["history"]] == ["drafting", "review"]

    state = client.get(f"/api/cases/{case['id']}/state", headers=service_headers).json
    assert state["stage"] == "review"
    assert [(h["from_stage"], h["to_stage"], h["reason"]) for h in state["history"]] == [
        ("diagnosis", "drafting", "Go"), ("drafting", "review", "Mémoire relu")]
    assert state["deadline"] == later.isoformat()
    assert [r["days_before"] for r in state["next_reminders"]] == [15, 7, 2, 1]

    client.post(f"/api/cases/{case['id']}/stage", headers=service_headers,
                json={"stage": "abandoned", "reason": "Prix hors marché"})
    res = app.extensions["centrale"]
    final = res.temporal.run(lambda c: c.get_workflow_handle_for(
        CaseWorkflow.run, case["workflow_id"]).result(), timeout=30)
    assert [h.to_stage for h in final.history] == ["drafting", "review", "abandoned"]
    changes = [(e["data"]["from"], e["data"]["to"]) for e in outbox_events(db, "case.stage_changed")
               if e["data"]["case_id"] == case["id"]]
    assert changes == [("diagnosis", "drafting"), ("drafting", "review"), ("review", "abandoned")]
