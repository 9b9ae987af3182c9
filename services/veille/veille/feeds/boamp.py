"""BOAMP through the DILA's Opendatasoft API v2.1, page by page since a publication date.

    GET {base}/catalog/datasets/boamp/records?where=dateparution>=date'2026-11-30'
        &order_by=dateparution,idweb&limit=100&offset=200
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .http import FeedError, fetch

DEFAULT_BASE_URL = "https://boamp-datadila.opendatasoft.com/api/explore/v2.1"
PAGE_SIZE = 100
# The API refuses offsets past 10,000: a longer backlog is walked by moving the date instead.
MAX_OFFSET = 9_900


@dataclass
class BoampPage:
    body: bytes
    count: int
    total: int


def page_url(base_url: str, since: str, offset: int, limit: int = PAGE_SIZE) -> str:
    from urllib.parse import urlencode

    query = urlencode({"where": f"dateparution>=date'{since}'",
                       "order_by": "dateparution,idweb", "limit": limit, "offset": offset})
    return f"{base_url.rstrip('/')}/catalog/datasets/boamp/records?{query}"


def fetch_page(base_url: str, since: str, offset: int, limit: int = PAGE_SIZE) -> BoampPage:
    body = fetch("GET", page_url(base_url, since, offset, limit))
    try:
        document = json.loads(body)
        results = document["results"]
        total = int(document.get("total_count", len(results)))
    except (ValueError, KeyError, TypeError) as exc:
        raise FeedError(f"réponse BOAMP inattendue : {exc}") from exc
    return BoampPage(body=body, count=len(results), total=total)
