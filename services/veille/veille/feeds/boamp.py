"""BOAMP through the DILA's Opendatasoft API v2.1, page by page within a window of publication dates.

    GET {base}/catalog/datasets/boamp/records?where=dateparution>=date'2026-11-30'
        AND dateparution<date'2026-12-02'&order_by=dateparution,idweb&limit=100&offset=200

The API serves at most 100 records a request and refuses to go past offset + limit = 10,000.
A backlog longer than that is walked window by window: a window starts where the previous one
ended, and is halved until its total fits under the ceiling. A single day over the ceiling (never
seen: BOAMP publishes a few thousand notices a day at most) is read up to the ceiling and the
rest counted as skipped, so that the poll's figures say what was not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from .http import FeedError, fetch

DEFAULT_BASE_URL = "https://boamp-datadila.opendatasoft.com/api/explore/v2.1"
PAGE_SIZE = 100
# offset + limit may not exceed this: the records a window can hold and still be read whole.
MAX_OFFSET = 10_000


@dataclass
class BoampPage:
    body: bytes
    count: int
    total: int


def where(since: str, until: str | None = None) -> str:
    """Publication dates from `since` (included) to `until` (excluded, None: no end)."""
    clause = f"dateparution>=date'{since}'"
    return f"{clause} AND dateparution<date'{until}'" if until else clause


def page_url(base_url: str, since: str, offset: int, limit: int = PAGE_SIZE, until: str | None = None) -> str:
    query = urlencode({"where": where(since, until), "order_by": "dateparution,idweb",
                       "limit": limit, "offset": offset})
    return f"{base_url.rstrip('/')}/catalog/datasets/boamp/records?{query}"


def fetch_page(base_url: str, since: str, offset: int, limit: int = PAGE_SIZE,
               until: str | None = None) -> BoampPage:
    body = fetch("GET", page_url(base_url, since, offset, limit, until))
    try:
        document = json.loads(body)
        results = document["results"]
        total = int(document.get("total_count", len(results)))
    except (ValueError, KeyError, TypeError) as exc:
        raise FeedError(f"réponse BOAMP inattendue : {exc}") from exc
    return BoampPage(body=body, count=len(results), total=total)


def halved(since: str, until: str | None, today: date) -> str | None:
    """The end of the first half of [since, until) (an open window ends tomorrow), or None when
    the window is one day already and cannot be split."""
    start = date.fromisoformat(since)
    end = date.fromisoformat(until) if until else today + timedelta(days=1)
    days = (end - start).days
    if days <= 1:
        return None
    return (start + timedelta(days=days // 2)).isoformat()
