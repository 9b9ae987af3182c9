"""TED through its search API v3, in iteration mode: notices of France published since a day, then
each notice's XML (eForms) from the link the search gives.

    POST {base}/notices/search  {"query": "organisation-country-buyer=FRA AND
         publication-date>=20261130", "fields": ["publication-number", "links"], "limit": 50,
         "scope": "ACTIVE", "paginationMode": "ITERATION", "iterationNextToken": "..."}

Page numbers stop at 15,000 results; the iteration token goes on to the end. The search says how
many notices match (`totalNoticeCount`) and gives the next token until the last page.
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
    unlinked: list[str] = field(default_factory=list)  # listed without an XML link: skipped
    total: int = 0
    next_token: str | None = None


def search_body(since: str, limit: int = PAGE_SIZE, token: str | None = None) -> dict:
    body = {"query": f"organisation-country-buyer=FRA AND publication-date>={since.replace('-', '')}",
            "fields": ["publication-number", "links"], "limit": limit, "scope": "ACTIVE",
            "paginationMode": "ITERATION"}
    if token:
        body["iterationNextToken"] = token
    return body


def _xml_link(links: dict) -> str | None:
    xml = (links or {}).get("xml") or {}
    return xml.get("MUL") or next(iter(xml.values()), None)


def search(base_url: str, since: str, limit: int = PAGE_SIZE, token: str | None = None) -> TedPage:
    body = fetch("POST", f"{base_url.rstrip('/')}/notices/search", json=search_body(since, limit, token))
    try:
        document = json.loads(body)
        listed = [(n["publication-number"], _xml_link(n.get("links"))) for n in document.get("notices", [])]
        total = int(document.get("totalNoticeCount", len(listed)))
        next_token = document.get("iterationNextToken") or None
    except (ValueError, KeyError, TypeError) as exc:
        raise FeedError(f"réponse TED inattendue : {exc}") from exc
    return TedPage(notices=[(number, url) for number, url in listed if url],
                   unlinked=[number for number, url in listed if not url],
                   total=total, next_token=next_token if listed else None)


def fetch_notice(url: str) -> bytes:
    return fetch("GET", url)
