"""Every call from notifications' views to Temporal: compile a digest now, read where it is."""

from __future__ import annotations

import uuid
from typing import Any

from centrale.temporal import TemporalBridge, workflow_status

from .workflows import DigestWorkflow

DIGEST_PREFIX = "digest-"


def start_digest(bridge: TemporalBridge, task_queue: str) -> str:
    """Start a ``Digest`` workflow; its id."""
    workflow_id = f"{DIGEST_PREFIX}{uuid.uuid4()}"
    bridge.run(lambda client: client.start_workflow(DigestWorkflow.run, id=workflow_id,
                                                    task_queue=task_queue))
    return workflow_id


def digest_status(bridge: TemporalBridge, workflow_id: str) -> dict[str, Any] | None:
    """Where a digest is (its result once done); None for what is not a digest."""
    if not workflow_id.startswith(DIGEST_PREFIX):
        return None
    status = workflow_status(bridge, workflow_id)
    return None if status["status"] == "NOT_FOUND" else status
