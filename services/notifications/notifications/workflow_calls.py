"""Every call from notifications' views to Temporal: compile a digest now, read where it is."""

from __future__ import annotations

from typing import Any

from centrale.temporal import TemporalBridge, one_off_status, start_one_off

from .workflows import DigestWorkflow

DIGEST_PREFIX = "digest-"


def start_digest(bridge: TemporalBridge, task_queue: str) -> str:
    return start_one_off(bridge, DigestWorkflow.run, prefix=DIGEST_PREFIX, task_queue=task_queue)


def digest_status(bridge: TemporalBridge, workflow_id: str) -> dict[str, Any] | None:
    """Where a digest is (its result once done); None for what is not a digest."""
    return one_off_status(bridge, workflow_id, DIGEST_PREFIX)
