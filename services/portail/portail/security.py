"""Sessions and who may see which page: a signed session cookie carrying the key of a session
the server holds (``login_sessions``: logging out ends it for every copy of the cookie) and the
account's session version (a password change or « se déconnecter partout » ends every other
session), CSRF tokens on every form (Flask-WTF), role checks, the client's address behind
trusted proxies, and where to go after logging in."""

from __future__ import annotations

import hashlib
import hmac
from functools import wraps
from typing import Callable
from urllib.parse import unquote, urlsplit

from flask import abort, current_app, g, redirect, request, session, url_for
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from centrale import forwarded

from . import accounts


def session_secret(token_secret: str) -> str:
    """The cookie key, derived from the platform secret (never the secret itself)."""
    return hmac.new(token_secret.encode(), b"portail-session", hashlib.sha256).hexdigest()


def _db():
    return current_app.extensions["centrale"].db


def load_user() -> None:
    g.user = None
    key, user_id, version = session.get("sid"), session.get("uid"), session.get("v")
    if not key or not isinstance(key, str):
        # A visitor: their flashed messages and CSRF token stay; an account named without a
        # session key (a cookie of the former scheme) opens nothing.
        for name in ("sid", "uid", "v"):
            if name in session:
                session.pop(name)
        return
    with _db().transaction() as conn:
        user = accounts.session_user(conn, key)
    if user is None or user.id != user_id or user.session_version != version:
        session.clear()
        return
    g.user = user


def start_session(user: accounts.User) -> None:
    """A new session for ``user`` (after a login, an invitation, a password change)."""
    end_session()
    with _db().transaction() as conn:
        key = accounts.open_session(conn, user.id)
    session.permanent = True
    session["sid"] = key
    session["uid"] = user.id
    session["v"] = user.session_version


def end_session() -> None:
    """Logging out: the server forgets the session, then the browser its cookie."""
    key = session.get("sid")
    if isinstance(key, str) and key:
        with _db().transaction() as conn:
            accounts.close_session(conn, key)
    session.clear()


def login_required(view: Callable) -> Callable:
    @wraps(view)
    def wrapper(*args, **kwargs):
        if g.get("user") is None:
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        return view(*args, **kwargs)

    return wrapper


def staff_required(view: Callable) -> Callable:
    @wraps(view)
    @login_required
    def wrapper(*args, **kwargs):
        if not g.user.is_staff:
            abort(403)
        return view(*args, **kwargs)

    return wrapper


def client_ip() -> str:
    """The client's address: the peer's, or what the proxies of
    ``CENTRALE_FORWARDED_ALLOW_IPS`` say in ``X-Forwarded-For`` (``centrale.forwarded``)."""
    return forwarded.client_address(request.remote_addr, request.headers.get("X-Forwarded-For"),
                                   current_app.config["CENTRALE_TRUSTED_PROXIES"])


def safe_next(target: str | None) -> str:
    """Where to go after logging in: a page of the portail itself, or its home. An open
    redirect would send people elsewhere: browsers drop tabs and line breaks from a URL and
    read a backslash as ``/``, so ``/%09/evil.example`` is ``//evil.example``, another site.
    The target is judged as it arrives and once more decoded, and must be a GET route here."""
    home = url_for("home.index")
    if not target or not isinstance(target, str):
        return home
    for text in (target, unquote(target)):
        if any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f or c == "\\" for c in text):
            return home
        if not text.startswith("/") or text.startswith("//"):
            return home
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return home
    try:
        current_app.url_map.bind("localhost").match(parts.path, method="GET")
    except RequestRedirect:
        pass  # the same page with its trailing slash
    except HTTPException:
        return home
    return target
