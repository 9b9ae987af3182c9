"""Veille's workflows (deterministic: all I/O happens in activities)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy

with workflow.unsafe.imports_passed_through():
    from centrale.temporal import DEFAULT_RETRY

    from .activities import (CursorInput, IngestCounts, PollPageInput, PollPageResult,
                             SetCursorInput, StoreNoticesInput, VeilleActivities)


@dataclass
class ImportNoticesInput:
    notices: list[dict[str, Any]]


@workflow.defn(name="ImportNotices")
class ImportNoticesWorkflow:
    """Store a batch of normalised notices; the API starts it, the worker completes it."""

    @workflow.run
    async def run(self, data: ImportNoticesInput) -> IngestCounts:
        return await workflow.execute_activity_method(
            VeilleActivities.store_notices, StoreNoticesInput(notices=data.notices),
            start_to_close_timeout=timedelta(minutes=5), retry_policy=DEFAULT_RETRY)


@dataclass
class FeedPollInput:
    source: str  # boamp | ted
    base_url: str
    page_size: int = 100
    max_pages: int = 200  # per run; the cursor carries the rest to the next run
    first_since: str | None = None  # where a source never polled starts (default: yesterday)
    # Sources fail for minutes at a time: back off up to 10 minutes, for about an hour.
    retry_attempts: int = 12
    retry_initial_s: float = 2.0


@dataclass
class FeedPollResult:
    pages: int = 0
    notices: int = 0
    counts: IngestCounts = field(default_factory=IngestCounts)
    finished: bool = False


@workflow.defn(name="FeedPoll")
class FeedPollWorkflow:
    """Poll one live source page by page from its cursor; the cursor moves after each page,
    so a run that fails half-way is resumed by the next one without duplicates."""

    @workflow.run
    async def run(self, data: FeedPollInput) -> FeedPollResult:
        started_on = workflow.now().date().isoformat()
        cursor = await workflow.execute_activity_method(
            VeilleActivities.get_cursor, CursorInput(data.source),
            start_to_close_timeout=timedelta(seconds=30), retry_policy=DEFAULT_RETRY)
        first_position = 0 if data.source == "boamp" else 1
        if cursor:
            since, position = cursor["since"], cursor["position"]
        else:
            since = data.first_since or (workflow.now().date() - timedelta(days=1)).isoformat()
            position = first_position
        result = FeedPollResult()
        while result.pages < data.max_pages:
            page: PollPageResult = await workflow.execute_activity_method(
                VeilleActivities.poll_page,
                PollPageInput(data.source, data.base_url, since, position, data.page_size),
                start_to_close_timeout=timedelta(minutes=10),
                heartbeat_timeout=timedelta(minutes=2),
                retry_policy=RetryPolicy(initial_interval=timedelta(seconds=data.retry_initial_s),
                                         backoff_coefficient=2.0,
                                         maximum_interval=timedelta(minutes=10),
                                         maximum_attempts=data.retry_attempts))
            result.pages += 1
            result.notices += page.count
            for name in ("created", "updated", "unchanged", "quarantined"):
                setattr(result.counts, name,
                        getattr(result.counts, name) + getattr(page.counts, name))
            position = page.next_position
            if page.count == 0 or (data.source == "boamp" and position >= page.total):
                # Caught up: the next run starts again from the day this one started.
                await workflow.execute_activity_method(
                    VeilleActivities.set_cursor,
                    SetCursorInput(data.source, {"since": started_on,
                                                 "position": first_position}),
                    start_to_close_timeout=timedelta(seconds=30), retry_policy=DEFAULT_RETRY)
                result.finished = True
                break
        return result
