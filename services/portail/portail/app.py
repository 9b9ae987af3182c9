"""The portail web application (gunicorn: ``portail.app:create_app()``): server-rendered
pages in French, calling the four services with the user's identity."""

from __future__ import annotations

import requests
from flask import Flask, g, render_template, request
from flask_wtf.csrf import CSRFError, CSRFProtect

from centrale import forwarded
from centrale.db import Database
from centrale.logs import configure_logging
from centrale.settings import load_settings
from centrale.web import ServiceResources, install_health

from . import accounts, formatting
from .clients import ApiError
from .security import load_user, session_secret
from .views import register_views

SERVICES = ("veille", "accompagnement", "formation", "notifications")


def _service_check(settings, name: str):
    def check() -> None:
        response = requests.get(settings.service_urls[name].rstrip("/") + "/healthz", timeout=2)
        response.raise_for_status()

    return check


def create_app(settings=None, open_resources: bool = True) -> Flask:
    settings = settings or load_settings("portail")
    configure_logging(settings.service, settings.log_level)
    app = Flask("portail")
    app.config.update(
        SECRET_KEY=session_secret(settings.require_token_secret()),
        SESSION_COOKIE_NAME="centrale_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Secure whenever people reach the portail over HTTPS (or when asked to); reading the
        # public address here also refuses to start without it outside development.
        SESSION_COOKIE_SECURE=settings.portail_over_https
        or settings.option("PORTAIL_SECURE_COOKIES", "off") == "on",
        PERMANENT_SESSION_LIFETIME=accounts.SESSION_LIFETIME,
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        CENTRALE_TRUSTED_PROXIES=forwarded.trusted_proxies(
            settings.option("FORWARDED_ALLOW_IPS", forwarded.DEFAULT_TRUSTED)),
    )
    db = Database.from_settings(settings)
    if open_resources:
        db.open()
    app.extensions["centrale"] = ServiceResources(
        settings=settings, db=db, bus=None, temporal=None,
        readiness={"database": db.ping,
                   **{name: _service_check(settings, name) for name in SERVICES}})
    csrf = CSRFProtect(app)
    formatting.install(app)
    install_health(app)
    app.before_request(load_user)
    register_views(app)
    # Signed links of emails, forwarded to notifications (their token is the proof).
    csrf.exempt("portail.views.public_links.unsubscribe")
    _install_errors(app)
    _install_headers(app, hsts=settings.portail_over_https)
    return app


def _install_errors(app: Flask) -> None:
    def page(status: int, title: str, message: str):
        return render_template("error.html", status=status, title=title, message=message), status

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return page(400, "Formulaire expiré",
                    "Ce formulaire a expiré ou ne vient pas de ce site. Rechargez la page et "
                    "recommencez.")

    @app.errorhandler(403)
    def forbidden(error):
        return page(403, "Accès refusé", "Cette page n'est pas accessible avec votre compte.")

    @app.errorhandler(404)
    def not_found(error):
        return page(404, "Page introuvable", "Cette page n'existe pas ou n'est pas à vous.")

    @app.errorhandler(413)
    def too_large(error):
        return page(413, "Envoi trop volumineux", "Le fichier ou le formulaire est trop gros.")

    @app.errorhandler(ApiError)
    def api_error(error: ApiError):
        if error.status in (403, 404):
            return not_found(error) if error.status == 404 else forbidden(error)
        return page(error.status if error.status >= 400 else 502, "Service indisponible",
                    error.detail)

    @app.errorhandler(500)
    def internal(error):
        return page(500, "Erreur inattendue", "Une erreur est survenue ; elle a été journalisée.")


def _install_headers(app: Flask, hsts: bool) -> None:
    @app.after_request
    def security_headers(response):
        if hsts:  # over HTTPS, browsers are told to never come back in clear
            response.headers.setdefault("Strict-Transport-Security",
                                        "max-age=31536000; includeSubDomains")
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self';"
            " frame-ancestors 'none'; form-action 'self'; base-uri 'self'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        if g.get("user") is not None:
            response.headers.setdefault("Cache-Control", "no-store")
        return response
