"""Sessions and who may see which page: a signed session cookie naming the user and their
session version (a password change or « se déconnecter partout » ends every other session),
CSRF tokens on every form (Flask-WTF), and role checks."""

from __future__ import annotations

import hashlib
import hmac
from functools import wraps
from typing import Callable

from flask import abort, current_app, g, redirect, request, session, url_for

from . import accounts


def session_secret(token_secret: str) -> str:
    """The cookie key, derived from the platform secret (never the secret itself)."""
    return hmac.new(token_secret.encode(), b"portail-session", hashlib.sha256).hexdigest()


def load_user() -> None:
    g.user = None
    user_id, version = session.get("uid"), session.get("v")
    if not user_id:
        return
    with current_app.extensions["centrale"].db.transaction() as conn:
        user = accounts.get_user(conn, user_id)
    if user is None or user.session_version != version:
        session.clear()
        return
    g.user = user


def start_session(user: accounts.User) -> None:
    session.clear()
    session.permanent = True
    session["uid"] = user.id
    session["v"] = user.session_version


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
    return request.remote_addr or "?"


def safe_next(target: str | None) -> str:
    """Only paths of this site: an open redirect would send people elsewhere after login."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("home.index")
