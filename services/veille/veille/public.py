"""Veille's one public route, outside ``/api/`` (no token): a profile's private Atom feed at
``/flux/<token>.atom``, the token signed with the platform's secret (itsdangerous). A token not
signed by us, or of a deleted profile, answers 404 and reveals nothing. Changing
``CENTRALE_TOKEN_SECRET`` revokes every feed."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_smorest import abort

from centrale.web import resources

from .exports import FeedSigner, profile_atom
from .store import matches as match_store
from .store import profiles as profile_store

blp = Blueprint("public", __name__)


def portail_url() -> str:
    return resources().settings.portail_public_url


@blp.get("/flux/<string:token>.atom")
def profile_feed(token: str):
    profile_id = FeedSigner(resources().settings.require_token_secret()).profile_of(token)
    with resources().db.transaction() as conn:
        profile = profile_store.get_profile(conn, profile_id) if profile_id else None
        if profile is None:
            abort(404, message="Flux inconnu.")
        matches = match_store.profile_matches(conn, profile_id)
    # People reach the feed through the portail (the one public address, which forwards
    # /flux/…): its self link is there, not at this service's own address.
    public = portail_url().rstrip("/")
    body = profile_atom(profile, matches, public + request.path, public)
    response = Response(body, content_type="application/atom+xml; charset=utf-8")
    response.headers["Cache-Control"] = "private, max-age=300"
    response.headers["Referrer-Policy"] = "no-referrer"  # the token is in the URL
    return response
