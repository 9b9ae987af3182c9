"""One HTTP client for the feeds: bounded time, bounded size, errors that say what happened."""

from __future__ import annotations

import requests

TIMEOUT_S = (5, 60)
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
USER_AGENT = "centrale-marches-solidaires/0.1 (veille)"


class FeedError(Exception):
    """The source did not answer usefully; the activity's retry policy decides what next."""


def fetch(method: str, url: str, **kwargs) -> bytes:
    try:
        with requests.request(method, url, timeout=TIMEOUT_S, stream=True,
                              headers={"User-Agent": USER_AGENT,
                                       "Accept": "application/json, application/xml"},
                              **kwargs) as response:
            if response.status_code >= 400:
                raise FeedError(f"{url} a répondu {response.status_code}")
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise FeedError(f"{url} : réponse de plus de {MAX_RESPONSE_BYTES} octets")
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.RequestException as exc:
        raise FeedError(f"{url} injoignable : {exc.__class__.__name__}") from exc
