"""The digest workflow: gather what is new since the previous digest, one email per person.

Started every day by the Temporal Schedule that ``notifications schedules`` keeps (see
``schedules.py``), or on demand through ``POST /api/digests``. The emails it queues are sent
by the sender of the worker process.
"""

from __future__ import annotations

from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from centrale.temporal import DEFAULT_RETRY

    from .activities import CompileDigestInput, DigestActivities, DigestResult


@workflow.defn(name="Digest")
class DigestWorkflow:
    @workflow.run
    async def run(self) -> DigestResult:
        return await workflow.execute_activity_method(
            DigestActivities.compile_digest,
            CompileDigestInput(workflow_id=workflow.info().workflow_id),
            start_to_close_timeout=timedelta(minutes=2),
            retry_policy=DEFAULT_RETRY,
        )
