"""The links that work without logging in — unsubscribing and a structure's calendar feed (from
emails), an alert profile's private Atom feed (for a feed reader) — answered here, at the
address people reach, by notifications or veille behind (only the portail is reachable from
outside). The token in the path is theirs to check; the portail passes the request on and
gives back its answer."""

from __future__ import annotations

import requests
from flask import Blueprint, Response, current_app, request

blp = Blueprint("public_links", __name__)

PASSED_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Referrer-Policy")


def forward(path: str, service: str = "notifications") -> Response:
    settings = current_app.extensions["centrale"].settings
    url = settings.service_urls[service].rstrip("/") + path
    try:
        answer = requests.request(request.method, url, data=request.get_data(),
                                  headers={"Content-Type": request.content_type or ""},
                                  timeout=(3, 20), allow_redirects=False)
    except requests.RequestException:
        return Response("Service momentanément indisponible : réessayez dans un moment.",
                        status=503, content_type="text/plain; charset=utf-8")
    response = Response(answer.content, status=answer.status_code)
    # notifications' small pages carry their style inline, and nothing else (a feed, nothing).
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
        " frame-ancestors 'none'; base-uri 'none'")
    for name in PASSED_HEADERS:
        if name in answer.headers:
            response.headers[name] = answer.headers[name]
    return response


@blp.route("/desabonnement/<token>", methods=["GET", "POST"])
def unsubscribe(token: str):
    # No CSRF token: mail clients' one-click unsubscribe (RFC 8058) POSTs here; the signed
    # token names who and what.
    return forward(f"/desabonnement/{token}")


@blp.get("/calendrier/<token>.ics")
def calendar_feed(token: str):
    return forward(f"/calendrier/{token}.ics")


@blp.get("/flux/<token>.atom")
def profile_feed(token: str):
    return forward(f"/flux/{token}.atom", "veille")
