"""A training session's invitation (.ics), as formation serves it.

Formation answers ``GET /api/sessions/<id>/invitation.ics`` to a service token. When it does
not answer (down, offline, an older formation without the route), the email carries the copy
built from the event instead: a reminder never waits for formation.
"""

from __future__ import annotations

import logging

import requests

from centrale.auth import service_token

from .config import NotificationConfig

log = logging.getLogger(__name__)


def fetch_invitation(config: NotificationConfig, path: str, timeout: float = 3.0) -> bytes | None:
    url = f"{config.formation_url}{path}"
    token = service_token(config.token_secret, "notifications", ttl_s=60)
    try:
        response = requests.get(url, headers={"Authorization": f"Bearer {token}"},
                                timeout=(min(timeout, 2.0), timeout))
    except requests.RequestException as exc:
        log.info("invitation not fetched, using the event's copy",
                 extra={"url": url, "error": repr(exc)})
        return None
    body = response.content
    if response.status_code == 200 and body.lstrip().startswith(b"BEGIN:VCALENDAR"):
        return body
    log.info("invitation not served, using the event's copy",
             extra={"url": url, "status": response.status_code})
    return None
