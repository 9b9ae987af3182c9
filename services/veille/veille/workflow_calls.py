"""Every call from veille's views to Temporal: start an import, read where it is."""

from __future__ import annotations

from typing import Any

from centrale.temporal import TemporalBridge, one_off_status, start_one_off

from .workflows import ImportNoticesInput, ImportNoticesWorkflow

IMPORT_PREFIX = "import-"


def start_import(bridge: TemporalBridge, task_queue: str, notices: list[dict]) -> str:
    return start_one_off(bridge, ImportNoticesWorkflow.run, ImportNoticesInput(notices=notices),
                         prefix=IMPORT_PREFIX, task_queue=task_queue)


def import_status(bridge: TemporalBridge, workflow_id: str) -> dict[str, Any] | None:
    """Where an import is (its result once done); None for what is not an import."""
    return one_off_status(bridge, workflow_id, IMPORT_PREFIX)
