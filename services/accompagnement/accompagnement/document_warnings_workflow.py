"""The daily ``DocumentWarnings`` workflow: one activity announcing the vault documents to
renew (see :mod:`accompagnement.document_warnings`). Apart from the case workflow's module,
which Temporal's sandbox loads afresh for every case."""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from centrale.temporal import DEFAULT_RETRY

    from .document_warnings import WORKFLOW_NAME, DocumentWarningActivities


@workflow.defn(name=WORKFLOW_NAME)
class DocumentWarningsWorkflow:
    @workflow.run
    async def run(self) -> int:
        return await workflow.execute_activity_method(
            DocumentWarningActivities.announce, start_to_close_timeout=timedelta(minutes=10),
            retry_policy=DEFAULT_RETRY)
