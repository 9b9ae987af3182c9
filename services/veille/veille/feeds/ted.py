"""TED through its search API v3: notices of France published since a day, then each
notice's XML (eForms) from the link the search gives.

    POST {base}/notices/search  {"query": "organisation-country-buyer=FRA AND
         publication-date>=20261130", "fields": ["publication-number", "links"],
         "page": 1, "limit": 50, "scope": "ACTIVE"}
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from .http import FeedError, fetch

DEFAULT_BASE_URL = "https://api.ted.europa.eu/v3"
PAGE_SIZE = 50


@dataclass
class TedPage:
    notices: list[tuple[str, str]] = field(default_factory=list)  # (publication number, xml url)
    total: int = 0


def search_body(since: str, page: int, limit: int = PAGE_SIZE) -> dict:
    return {"query": f"organisation-country-buyer=FRA AND publication-date>={since.replace('-', '')}",
            "fields": ["publication-number", "links"], "page": page, "limit": limit,
            "scope": "ACTIVE", "paginationMode": "PAGE_NUMBER"}


def _xml_link(links: dict) -> str | None:
    xml = (links or {}).get("xml") or {}
    return xml.get("MUL") or next(iter(xml.values()), None)


def search(base_url: str, since: str, page: int, limit: int = PAGE_SIZE) -> TedPage:
    body = fetch("POST", f"{base_url.rstrip('/')}/notices/search",
                 json=search_body(since, page, limit))
    try:
        document = json.loads(body)
        notices = [(n["publication-number"], _xml_link(n.get("links"))) for n in
                   document.get("notices", [])]
        total = int(document.get("totalNoticeCount", len(notices)))
    except (ValueError, KeyError, TypeError) as exc:
        raise FeedError(f"réponse TED inattendue : {exc}") from exc
    return TedPage(notices=[(number, url) for number, url in notices if url], total=total)


def fetch_notice(url: str) -> bytes:
    return fetch("GET", url)
