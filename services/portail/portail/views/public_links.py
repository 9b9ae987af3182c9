"""The links of emails that work without logging in — unsubscribing and a structure's calendar
feed — answered here, at the address people reach, by notifications behind (only the portail
is reachable from outside). The token in the path is notifications' to check; the portail
passes the request on and gives back its answer."""

from __future__ import annotations

import requests
from flask import Blueprint, Response, current_app, request

blp = Blueprint("public_links", __name__)

PASSED_HEADERS = ("Content-Type", "Content-Disposition", "Cache-Control", "Referrer-Policy")


def forward(path: str) -> Response:
    settings = current_app.extensions["centrale"].settings
    url = settings.service_urls["notifications"].rstrip("/") + path
    try:
        answer = requests.request(request.method, url, data=request.get_data(),
                                  headers={"Content-Type": request.content_type or ""},
                                  timeout=(3, 20), allow_redirects=False)
    except requests.RequestException:
        return Response("Service momentanément indisponible : réessayez dans un moment.",
                        status=503, content_type="text/plain; charset=utf-8")
    response = Response(answer.content, status=answer.status_code)
    # notifications' small pages carry their style inline, and nothing else.
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
