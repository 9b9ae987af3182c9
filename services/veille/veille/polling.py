"""One page of a live source: fetch it from the cursor, store its notices, say where the next
page is and what the source announced.

A cursor is a small JSON object kept in ``feed_cursors`` (moved after every page, so that a run
that fails half-way is resumed by the next one without duplicates):

- BOAMP ``{"since", "until", "position", "sized"}``: a window of publication dates
  [since, until) (``until`` None: up to now) read by offsets; ``sized`` once the window is
  known to fit under the API's ceiling (offset + limit <= 10,000), else it is halved first;
- TED ``{"since", "token", "read"}``: a search of the notices published since a day, walked
  with its iteration token;
- DECP ``{"since"}``: the first daily file not read yet.

When a source is caught up, its cursor goes back `overlap_days` before the day it stopped at:
records indexed late by the source are read by the next poll, and storing is idempotent, so
what is read twice is counted unchanged.

Each page says which window it belongs to (``window``), that window's total as the source
announced it, and where in the window the page started: the workflow adds up what the source
announced for the part of each window it read, beside what became of the records.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Callable

from .feeds import boamp, decp, ted
from .ingest import IngestReport

Ingest = Callable[[bytes, str, IngestReport], None]
Heartbeat = Callable[[Any], None]


@dataclass
class PageOutcome:
    received: int  # records the source returned for this page
    window: str  # which window (query) the page belongs to
    window_total: int  # what the source announced for the window
    window_position: int  # how many records of the window came before this page
    next_cursor: dict[str, Any]
    caught_up: bool
    skipped: int = 0  # listed by the source but not readable (no XML link, past the ceiling)
    report: IngestReport = field(default_factory=IngestReport)


def _back(today: date, days: int) -> str:
    return (today - timedelta(days=days)).isoformat()


def boamp_page(base_url: str, cursor: dict[str, Any], page_size: int, ceiling: int, overlap_days: int,
               today: date, ingest: Ingest) -> PageOutcome:
    since, until = cursor["since"], cursor.get("until")
    position = int(cursor.get("position") or 0)
    limit = max(1, min(page_size, ceiling - position))
    page = boamp.fetch_page(base_url, since, position, limit, until)
    if position == 0 and not cursor.get("sized"):
        # Too many records to be read by offsets: the window's first half, until it fits.
        while page.total > ceiling and (shorter := boamp.halved(since, until, today)):
            until = shorter
            page = boamp.fetch_page(base_url, since, 0, limit, until)
    report = IngestReport()
    if page.count:
        ingest(page.body, f"boamp:{since}:{until or ''}:{position}", report)
    following = position + page.count
    window_done = page.count == 0 or following >= page.total or following >= ceiling
    skipped = max(0, page.total - following) if window_done and page.count else 0
    if not window_done:
        next_cursor = {"since": since, "until": until, "position": following, "sized": True}
    elif until is None:
        next_cursor = {"since": _back(today, overlap_days), "until": None, "position": 0}
    else:
        next_cursor = {"since": until, "until": None, "position": 0}
    return PageOutcome(received=page.count, window=f"boamp:{since}:{until or ''}", window_total=page.total,
                       window_position=position, next_cursor=next_cursor,
                       caught_up=window_done and until is None, skipped=skipped, report=report)


def ted_page(base_url: str, cursor: dict[str, Any], page_size: int, overlap_days: int, today: date,
             ingest: Ingest, heartbeat: Heartbeat) -> PageOutcome:
    since, token = cursor["since"], cursor.get("token")
    read = int(cursor.get("read") or 0)
    page = ted.search(base_url, since, page_size, token)
    report = IngestReport()
    for number, url in page.notices:
        heartbeat(number)
        ingest(ted.fetch_notice(url), f"ted:{number}", report)
    received = len(page.notices) + len(page.unlinked)
    done = page.next_token is None or received == 0
    next_cursor = ({"since": _back(today, overlap_days)} if done
                   else {"since": since, "token": page.next_token, "read": read + received})
    return PageOutcome(received=received, window=f"ted:{since}", window_total=page.total,
                       window_position=read, next_cursor=next_cursor, caught_up=done,
                       skipped=len(page.unlinked), report=report)


def decp_page(base_url: str, cursor: dict[str, Any], overlap_days: int, ingest: Ingest) -> PageOutcome:
    since = cursor["since"]
    files = decp.daily_files(base_url, since)
    if not files:
        return PageOutcome(received=0, window=f"decp:{since}", window_total=0, window_position=0,
                           next_cursor={"since": since}, caught_up=True)
    daily = files[0]
    report = IngestReport()
    ingest(decp.fetch_file(daily.url), f"decp:{daily.day}", report)
    received = report.notices + len(report.failed_records) + len(report.failed_files)
    following = (date.fromisoformat(daily.day) + timedelta(days=1)).isoformat()
    caught_up = len(files) == 1
    if caught_up:  # read the last days again next time: a day may be published late or again
        following = (date.fromisoformat(following) - timedelta(days=overlap_days)).isoformat()
    return PageOutcome(received=received, window=f"decp:{daily.day}", window_total=received,
                       window_position=0, next_cursor={"since": following}, caught_up=caught_up,
                       report=report)
