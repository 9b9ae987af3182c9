"""Veille's Temporal activities: the I/O its workflows need, one dataclass argument each."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from temporalio import activity

from centrale.french import PARIS

from centrale.db import Database
from centrale.settings import Settings

from . import polling, renewals
from .feeds import boamp
from .ingest import IngestReport, Ingester
from .store import feed_polls
from .store.cursors import get_cursor, set_cursor


@dataclass
class RefreshRenewalsInput:
    today: str | None = None  # YYYY-MM-DD; None: the day it runs, in Paris


@dataclass
class StoreNoticesInput:
    notices: list[dict[str, Any]]


@dataclass
class IngestCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    quarantined: int = 0

    @classmethod
    def of(cls, report: IngestReport) -> "IngestCounts":
        return cls(report.created, report.updated, report.unchanged, report.quarantined)


@dataclass
class CursorInput:
    source: str


@dataclass
class SetCursorInput:
    source: str
    cursor: dict[str, Any]


@dataclass
class PollPageInput:
    source: str  # boamp | ted | decp
    base_url: str
    cursor: dict[str, Any]  # see veille.polling
    page_size: int
    today: str  # YYYY-MM-DD, the workflow's day: where a caught-up cursor goes back from
    overlap_days: int = 1
    max_offset: int = boamp.MAX_OFFSET


@dataclass
class PollPageResult:
    received: int
    window: str
    window_total: int
    window_position: int
    next_cursor: dict[str, Any]
    caught_up: bool
    skipped: int = 0
    unread: int = 0
    counts: IngestCounts = field(default_factory=IngestCounts)


@dataclass
class OpenPollInput:
    source: str
    run_id: str
    cursor: dict[str, Any] | None


@dataclass
class RecordPollInput:
    poll_id: int
    counts: dict[str, int]
    cursor: dict[str, Any] | None
    status: str = "running"  # running | finished | failed
    error: str | None = None


class VeilleActivities:
    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings

    @activity.defn(name="veille.store_notices")
    def store_notices(self, data: StoreNoticesInput) -> IngestCounts:
        report = IngestReport()
        Ingester(self.db, self.settings).store(data.notices, report, "api")
        return IngestCounts.of(report)

    @activity.defn(name="veille.get_cursor")
    def get_cursor(self, data: CursorInput) -> dict[str, Any] | None:
        with self.db.transaction() as conn:
            return get_cursor(conn, data.source)

    @activity.defn(name="veille.set_cursor")
    def set_cursor(self, data: SetCursorInput) -> None:
        with self.db.transaction() as conn:
            set_cursor(conn, data.source, data.cursor)

    @activity.defn(name="veille.poll_page")
    def poll_page(self, data: PollPageInput) -> PollPageResult:
        """Fetch one page of a live source from its cursor, store its notices, then move the
        cursor past it. A retry after a crash reads the same page again: storing is idempotent."""
        ingester = Ingester(self.db, self.settings)
        today = date.fromisoformat(data.today)
        if data.source == "boamp":
            outcome = polling.boamp_page(data.base_url, data.cursor, data.page_size, data.max_offset,
                                         data.overlap_days, today, ingester.ingest_bytes)
        elif data.source == "ted":
            outcome = polling.ted_page(data.base_url, data.cursor, data.page_size, data.overlap_days, today,
                                       ingester.ingest_bytes, activity.heartbeat)
        elif data.source == "decp":
            outcome = polling.decp_page(data.base_url, data.cursor, data.overlap_days, ingester.ingest_bytes)
        else:
            raise ValueError(f"source inconnue : {data.source}")
        with self.db.transaction() as conn:
            set_cursor(conn, data.source, outcome.next_cursor)
        return PollPageResult(received=outcome.received, window=outcome.window,
                              window_total=outcome.window_total, window_position=outcome.window_position,
                              next_cursor=outcome.next_cursor, caught_up=outcome.caught_up,
                              skipped=outcome.skipped, unread=len(outcome.report.unread),
                              counts=IngestCounts.of(outcome.report))

    @activity.defn(name="veille.open_poll")
    def open_poll(self, data: OpenPollInput) -> int:
        with self.db.transaction() as conn:
            return feed_polls.open_poll(conn, data.source, data.run_id, data.cursor)

    @activity.defn(name="veille.record_poll")
    def record_poll(self, data: RecordPollInput) -> None:
        with self.db.transaction() as conn:
            feed_polls.record_poll(conn, data.poll_id, data.counts, data.cursor, data.status, data.error)

    @activity.defn(name="veille.refresh_renewals")
    def refresh_renewals(self, data: RefreshRenewalsInput) -> int:
        """Compute the expected renewals again (as of ``today``, Paris, by default the day it
        runs) and alert the structures about those that enter the horizon."""
        today = date.fromisoformat(data.today) if data.today else datetime.now(PARIS).date()
        return renewals.refresh(self.db, today).alerts

    def all(self) -> list:
        return [self.store_notices, self.get_cursor, self.set_cursor, self.poll_page, self.open_poll,
                self.record_poll, self.refresh_renewals]
