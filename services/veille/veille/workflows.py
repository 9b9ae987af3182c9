"""Veille's workflows (deterministic: all I/O happens in activities)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from centrale.temporal import DEFAULT_RETRY

    from .activities import (CursorInput, IngestCounts, OpenPollInput, PollPageInput,
                             PollPageResult, RecordPollInput, RefreshRenewalsInput,
                             StoreNoticesInput, VeilleActivities)
    from .feeds import boamp


def failure_text(error: ActivityError) -> str:
    """What the staff read of a failed poll: the activity's own message (a FeedError's French
    sentence), without the exception's type Temporal puts before it."""
    cause = error.cause
    return cause.message if isinstance(cause, ApplicationError) else str(cause or error)


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


@workflow.defn(name="RefreshRenewals")
class RefreshRenewalsWorkflow:
    """Every day (``veille schedules``): the expected renewals computed again from the
    contracts' ends and avenants, and the structures alerted about the new ones."""

    @workflow.run
    async def run(self) -> int:
        return await workflow.execute_activity_method(
            VeilleActivities.refresh_renewals, RefreshRenewalsInput(),
            start_to_close_timeout=timedelta(minutes=30), retry_policy=DEFAULT_RETRY)


@dataclass
class FeedPollInput:
    source: str  # boamp | ted | decp
    base_url: str
    page_size: int = 100
    max_pages: int = 200  # per run; the cursor carries the rest to the next run
    first_since: str | None = None  # where a source never polled starts (default: yesterday)
    overlap_days: int = 1  # a caught-up cursor goes back this many days (late-indexed records)
    max_offset: int = boamp.MAX_OFFSET  # BOAMP: offset + limit may not exceed it
    # Sources fail for minutes at a time: back off up to 10 minutes, for about an hour.
    retry_attempts: int = 12
    retry_initial_s: float = 2.0


@dataclass
class FeedPollResult:
    pages: int = 0
    notices: int = 0  # records received
    counts: IngestCounts = field(default_factory=IngestCounts)
    finished: bool = False  # caught up with the source
    announced: int = 0
    skipped: int = 0
    unread: int = 0
    poll_id: int = 0

    def figures(self) -> dict[str, int]:
        return {"pages": self.pages, "announced": self.announced, "received": self.notices,
                "created": self.counts.created, "updated": self.counts.updated,
                "unchanged": self.counts.unchanged, "quarantined": self.counts.quarantined,
                "skipped": self.skipped, "unread": self.unread}


_SHORT = {"start_to_close_timeout": timedelta(seconds=30), "retry_policy": DEFAULT_RETRY}


@workflow.defn(name="FeedPoll")
class FeedPollWorkflow:
    """Poll one live source page by page from its cursor; the cursor moves after each page, so a
    run that fails half-way is resumed by the next one without duplicates. The run is recorded
    in ``feed_polls`` as it goes: what the source announced for the windows it read, beside what
    was created, updated, unchanged, quarantined, skipped and left unread (see veille.polling)."""

    @workflow.run
    async def run(self, data: FeedPollInput) -> FeedPollResult:
        today = workflow.now().date()
        cursor = await workflow.execute_activity_method(
            VeilleActivities.get_cursor, CursorInput(data.source), **_SHORT)
        cursor = cursor or {"since": data.first_since or (today - timedelta(days=1)).isoformat()}
        result = FeedPollResult()
        result.poll_id = await workflow.execute_activity_method(
            VeilleActivities.open_poll, OpenPollInput(data.source, workflow.info().run_id, cursor), **_SHORT)
        window = None
        try:
            while result.pages < data.max_pages:
                page: PollPageResult = await workflow.execute_activity_method(
                    VeilleActivities.poll_page,
                    PollPageInput(data.source, data.base_url, cursor, data.page_size, today.isoformat(),
                                  data.overlap_days, data.max_offset),
                    start_to_close_timeout=timedelta(minutes=10),
                    heartbeat_timeout=timedelta(minutes=2),
                    retry_policy=RetryPolicy(initial_interval=timedelta(seconds=data.retry_initial_s),
                                             backoff_coefficient=2.0,
                                             maximum_interval=timedelta(minutes=10),
                                             maximum_attempts=data.retry_attempts))
                self._add(result, page, counted_window=window)
                window, cursor = page.window, page.next_cursor
                if page.caught_up:
                    result.finished = True
                    break
                await workflow.execute_activity_method(
                    VeilleActivities.record_poll, RecordPollInput(result.poll_id, result.figures(), cursor),
                    **_SHORT)
        except ActivityError as error:
            await workflow.execute_activity_method(
                VeilleActivities.record_poll,
                RecordPollInput(result.poll_id, result.figures(), cursor, "failed",
                                failure_text(error)),
                **_SHORT)
            raise
        await workflow.execute_activity_method(
            VeilleActivities.record_poll, RecordPollInput(result.poll_id, result.figures(), cursor, "finished"),
            **_SHORT)
        return result

    @staticmethod
    def _add(result: FeedPollResult, page: PollPageResult, counted_window: str | None) -> None:
        result.pages += 1
        result.notices += page.received
        result.skipped += page.skipped
        result.unread += page.unread
        if page.window != counted_window:
            # The part of this window the run reads: from where it entered it to the end.
            result.announced += max(0, page.window_total - page.window_position)
        for name in ("created", "updated", "unchanged", "quarantined"):
            setattr(result.counts, name, getattr(result.counts, name) + getattr(page.counts, name))
