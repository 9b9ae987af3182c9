"""Veille's workflows (deterministic: all I/O happens in activities)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from centrale.temporal import DEFAULT_RETRY

    from .activities import StoreNoticesInput, StoreNoticesResult


@dataclass
class ImportNoticesInput:
    notices: list[dict[str, Any]]


@workflow.defn(name="ImportNotices")
class ImportNoticesWorkflow:
    """Store a batch of normalised notices; the API starts it, the worker completes it."""

    @workflow.run
    async def run(self, data: ImportNoticesInput) -> StoreNoticesResult:
        return await workflow.execute_activity(
            "veille.store_notices",
            StoreNoticesInput(notices=data.notices),
            start_to_close_timeout=timedelta(minutes=5),
            retry_policy=DEFAULT_RETRY,
            result_type=StoreNoticesResult,
        )
