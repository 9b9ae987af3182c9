"""The session workflow: one per training session, waiting for its date or its cancellation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from centrale.temporal import DEFAULT_RETRY

    from .activities import CloseSessionInput


@dataclass
class SessionInput:
    session_id: int
    ends_at: str  # ISO 8601 with offset


@dataclass
class Cancellation:
    reason: str


@workflow.defn(name="TrainingSession")
class SessionWorkflow:
    def __init__(self) -> None:
        self.cancellation: Cancellation | None = None

    @workflow.run
    async def run(self, data: SessionInput) -> str:
        ends_at = datetime.fromisoformat(data.ends_at)
        wait = max(timedelta(0), ends_at - workflow.now())
        try:
            await workflow.wait_condition(lambda: self.cancellation is not None, timeout=wait)
        except TimeoutError:
            pass
        status = "cancelled" if self.cancellation else "held"
        await workflow.execute_activity(
            "formation.close_session",
            CloseSessionInput(session_id=data.session_id, status=status,
                              reason=self.cancellation.reason if self.cancellation else None),
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=DEFAULT_RETRY,
        )
        return status

    @workflow.signal(name="cancel")
    def cancel(self, cancellation: Cancellation) -> None:
        if self.cancellation is None:
            self.cancellation = cancellation
