"""DECP through data.gouv.fr: the consolidated publication's daily files of new contracts.

The consolidated DECP dataset publishes, besides its full aggregate, one file a day of the
contracts published that day (`decp-2026-11-30.json`, the DECP JSON format). The dataset's
description on data.gouv.fr's API lists them:

    GET {base}  ->  {"resources": [{"title": "decp-2026-11-30.json", "url": "https://..."}, ...]}

A poll reads the daily files from its cursor's day onwards, one file a page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .http import FeedError, fetch

DEFAULT_BASE_URL = ("https://www.data.gouv.fr/api/1/datasets/"
                    "donnees-essentielles-de-la-commande-publique-fichiers-consolides/")
_DAILY = re.compile(r"decp-(\d{4}-\d{2}-\d{2})\.json$")


@dataclass(frozen=True)
class DailyFile:
    day: str  # YYYY-MM-DD
    url: str


def daily_files(base_url: str, since: str) -> list[DailyFile]:
    """The daily files of `since` and after, oldest first."""
    body = fetch("GET", base_url)
    try:
        resources = json.loads(body)["resources"]
        files = []
        for resource in resources:
            match = _DAILY.search(str(resource.get("title") or resource.get("url") or ""))
            if match and match[1] >= since and resource.get("url"):
                files.append(DailyFile(match[1], resource["url"]))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise FeedError(f"réponse data.gouv.fr inattendue : {exc}") from exc
    return sorted(set(files), key=lambda daily: daily.day)


def fetch_file(url: str) -> bytes:
    return fetch("GET", url)
