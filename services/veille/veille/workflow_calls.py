"""Every call from veille's views to Temporal: start an import, read where it is."""

from __future__ import annotations

import uuid
from typing import Any

from centrale.temporal import TemporalBridge, workflow_status

from .workflows import ImportNoticesInput, ImportNoticesWorkflow

IMPORT_PREFIX = "import-"


def start_import(bridge: TemporalBridge, task_queue: str, notices: list[dict]) -> str:
    """Start an ``ImportNotices`` workflow; its id."""
    workflow_id = f"{IMPORT_PREFIX}{uuid.uuid4()}"
    bridge.run(lambda client: client.start_workflow(
        ImportNoticesWorkflow.run, ImportNoticesInput(notices=notices), id=workflow_id,
        task_queue=task_queue))
    return workflow_id


def import_status(bridge: TemporalBridge, workflow_id: str) -> dict[str, Any] | None:
    """Where an import is (its result once done); None for what is not an import."""
    if not workflow_id.startswith(IMPORT_PREFIX):
        return None
    status = workflow_status(bridge, workflow_id)
    return None if status["status"] == "NOT_FOUND" else status
