"""Public routes, outside ``/api/`` (no token): signed links sent by email.

- ``/desabonnement/<token>``: GET shows a small French page asking to confirm (a link
  scanner that follows links must not unsubscribe anyone); POST unsubscribes — also the
  one-click POST of mail clients (RFC 8058, ``List-Unsubscribe-Post``);
- ``/calendrier/<token>.ics``: a structure's calendar, for calendar applications (refused once
  the structure has regenerated its address).

People reach these through the portail, which forwards both paths here.

A token not signed with the platform's secret is refused: a 400 page for unsubscribing, a 404
problem for the calendar (revealing nothing).
"""

from __future__ import annotations

from datetime import datetime, timezone

from flask import Blueprint, Response
from flask_smorest import abort

from centrale.web import resources

from . import store
from .config import config_from
from .domain.calendar import build_ics
from .domain.kinds import DIGEST_SCOPE, KINDS, KINDS_BY_CODE, Mode
from .domain.recipients import normalize_email
from .rendering import render_page
from .tokens import InvalidLink, LinkSigner, Unsubscribe

blp = Blueprint("public", __name__)

HTML = "text/html; charset=utf-8"


def _signer() -> LinkSigner:
    return LinkSigner(config_from(resources().settings).token_secret)


def _page(name: str, status: int = 200, **context) -> Response:
    response = Response(render_page(name, **context), status=status, content_type=HTML)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response


def _read(token: str) -> Unsubscribe | None:
    try:
        link = _signer().read_unsubscribe(token)
    except InvalidLink:
        return None
    if link.kind != DIGEST_SCOPE and link.kind not in KINDS_BY_CODE:
        return None
    return link


def _context(link: Unsubscribe) -> dict:
    kind = KINDS_BY_CODE.get(link.kind)
    return {"email": link.email, "scope_is_digest": link.kind == DIGEST_SCOPE,
            "kind_label": kind.label if kind else "résumé quotidien"}


@blp.get("/desabonnement/<token>")
def unsubscribe_page(token: str):
    link = _read(token)
    if link is None:
        return _page("invalid_link", 400)
    return _page("unsubscribe", **_context(link))


@blp.post("/desabonnement/<token>")
def unsubscribe(token: str):
    link = _read(token)
    if link is None:
        return _page("invalid_link", 400)
    email = normalize_email(link.email)
    changed: list[str] = []
    with resources().db.transaction() as conn:
        if link.kind == DIGEST_SCOPE:
            chosen = store.preferences.modes_for(conn, email)
            for kind in KINDS:
                if (chosen.get(kind.code) or kind.default) is Mode.DIGEST:
                    store.preferences.set_mode(conn, email, kind.code, Mode.NEVER,
                                               "lien de désabonnement")
                    changed.append(kind.label)
        else:
            store.preferences.set_mode(conn, email, link.kind, Mode.NEVER,
                                       "lien de désabonnement")
    return _page("unsubscribed", kinds=changed, **_context(link))


@blp.get("/calendrier/<token>.ics")
def calendar_feed(token: str):
    try:
        structure_id, generation = _signer().read_calendar(token)
    except InvalidLink:
        abort(404, message="Calendrier introuvable.")
    with resources().db.transaction() as conn:
        if store.calendar.feed_generation(conn, structure_id) != generation:
            abort(404, message="Calendrier introuvable.")  # an address regenerated since
        name = store.directory.structure_name(conn, structure_id)
        entries = store.calendar.entries_for(conn, structure_id)
    title = f"Centrale — {name or f'structure n° {structure_id}'}"
    body = build_ics(title, entries, datetime.now(timezone.utc))
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Content-Disposition"] = f'inline; filename="centrale-{structure_id}.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response
