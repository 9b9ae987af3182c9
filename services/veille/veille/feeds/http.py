"""One HTTP client for the feeds: bounded time, bounded size, errors that say what happened."""

from __future__ import annotations

from urllib.parse import urlsplit

import requests

TIMEOUT_S = (5, 60)
MAX_RESPONSE_BYTES = 20 * 1024 * 1024
USER_AGENT = "centrale-marches-solidaires/0.1 (veille)"


class FeedError(Exception):
    """The source did not answer usefully; the activity's retry policy decides what next. Its
    text is what « Relevés de la veille » shows the staff: French, naming the source's host and
    not the whole address with its query."""


def refusal(url: str, status: int) -> str:
    why = ("la source est indisponible pour l'instant" if status >= 500
           else "la source a refusé la demande")
    return f"{urlsplit(url).hostname} a répondu {status} : {why}."


def fetch(method: str, url: str, **kwargs) -> bytes:
    try:
        with requests.request(method, url, timeout=TIMEOUT_S, stream=True,
                              headers={"User-Agent": USER_AGENT,
                                       "Accept": "application/json, application/xml"},
                              **kwargs) as response:
            if response.status_code >= 400:
                raise FeedError(refusal(url, response.status_code))
            chunks, size = [], 0
            for chunk in response.iter_content(64 * 1024):
                size += len(chunk)
                if size > MAX_RESPONSE_BYTES:
                    raise FeedError(f"{urlsplit(url).hostname} : réponse de plus de "
                                    f"{MAX_RESPONSE_BYTES // (1024 * 1024)} Mio, abandonnée.")
                chunks.append(chunk)
            return b"".join(chunks)
    except requests.RequestException as exc:
        raise FeedError(f"{urlsplit(url).hostname} injoignable "
                        f"({exc.__class__.__name__}).") from exc
