"""Veille's Temporal activities: the I/O its workflows need, one dataclass argument each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from temporalio import activity

from centrale.db import Database
from centrale.settings import Settings

from .feeds import boamp, ted
from .ingest import IngestReport, Ingester
from .store.cursors import get_cursor, set_cursor


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
    source: str  # boamp | ted
    base_url: str
    since: str  # YYYY-MM-DD
    position: int  # BOAMP: offset; TED: page number
    page_size: int


@dataclass
class PollPageResult:
    count: int
    total: int
    next_position: int
    counts: IngestCounts = field(default_factory=IngestCounts)


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
        """Fetch one page of a live source, store its notices, then move the cursor past it.

        A retry after a crash re-reads the same page: storing is idempotent."""
        report = IngestReport()
        ingester = Ingester(self.db, self.settings)
        if data.source == "boamp":
            page = boamp.fetch_page(data.base_url, data.since, data.position, data.page_size)
            ingester.ingest_bytes(page.body, f"boamp:{data.since}:{data.position}", report)
            count, total, next_position = page.count, page.total, data.position + page.count
        else:
            page = ted.search(data.base_url, data.since, data.position, data.page_size)
            for number, url in page.notices:
                activity.heartbeat(number)
                ingester.ingest_bytes(ted.fetch_notice(url), f"ted:{number}", report)
            count, total = len(page.notices), page.total
            next_position = data.position + 1
        with self.db.transaction() as conn:
            set_cursor(conn, data.source, {"since": data.since, "position": next_position})
        return PollPageResult(count, total, next_position, IngestCounts.of(report))

    def all(self) -> list:
        return [self.store_notices, self.get_cursor, self.set_cursor, self.poll_page]
