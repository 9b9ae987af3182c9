"""The Flask application every service starts from: OpenAPI, Swagger UI, problem+json errors,
bearer-token authentication on ``/api/``, body size limit, ``/healthz`` and ``/readyz``.

A service's ``create_app()`` calls :func:`create_service_app` with its blueprints and the
resources it owns (database, bus, Temporal), then adds nothing cross-cutting of its own.
"""

from __future__ import annotations

import logging
from decimal import Decimal
from dataclasses import dataclass, field
from typing import Callable, Iterable

import psycopg
from flask import Flask, g, jsonify, request, send_from_directory
from flask_smorest import Api, Blueprint
from swagger_ui_bundle import swagger_ui_path
from werkzeug.exceptions import HTTPException

from . import contract
from . import schemas  # noqa: F401 — installs the French validation messages
from .access import (buyer_scope, member_scope, member_structure,  # noqa: F401
                     open_to_members, open_to_roles, open_to_signed_in, scoped_structure,
                     staff_only, structure_in_path)
from .auth import AuthError, Identity, bearer_token, verify_token
from .bus import Bus
from .db import Database
from .logs import configure_logging
from .metrics import install_web_metrics
from .tracing import instrument_app
from .problems import (RULE_PROBLEM, SCHEMA_PROBLEM, ProblemSchema, problem,
                       problem_from_http_exception, problem_from_unexpected)
from .refusals import Invalid, NotFound, Refusal
from .settings import Settings
from .temporal import TemporalBridge

log = logging.getLogger(__name__)

PUBLIC_PREFIXES = ("/healthz", "/readyz", "/metrics", "/openapi.json", "/docs")


class ProblemApi(Api):
    """flask-smorest's Api, answering every HTTP error as problem+json (and documenting it so:
    ``centrale.contract``)."""

    ERROR_SCHEMA = ProblemSchema

    def handle_http_exception(self, error: HTTPException):
        return problem_from_http_exception(error)


@dataclass
class ServiceResources:
    """What a service's views and readiness check need, kept on ``app.extensions``."""

    settings: Settings
    db: Database
    bus: Bus
    temporal: TemporalBridge | None
    extra_checks: dict[str, Callable[[], None]] = field(default_factory=dict)
    # What /readyz checks; by default the database, the broker and Temporal.
    readiness: dict[str, Callable[[], None]] | None = None

    def readiness_checks(self) -> dict[str, Callable[[], None]]:
        if self.readiness is not None:
            return {**self.readiness, **self.extra_checks}
        return {"database": self.db.ping, "broker": self.bus.ping,
                "temporal": self.temporal.ping, **self.extra_checks}


def resources() -> ServiceResources:
    from flask import current_app

    return current_app.extensions["centrale"]


def current_identity() -> Identity:
    return g.identity


def create_service_app(settings: Settings, title: str, description: str,
                       blueprints: Iterable[Blueprint], open_resources: bool = True) -> Flask:
    configure_logging(settings.service, settings.log_level)
    app = Flask(settings.service)
    app.config.update(
        API_TITLE=title,
        API_VERSION="1.0",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        OPENAPI_SWAGGER_UI_PATH="/docs",
        OPENAPI_SWAGGER_UI_URL="/docs/assets/",
        API_SPEC_OPTIONS={
            "info": {"description": description},
            "components": {"securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}},
            "security": [{"bearerAuth": []}],
        },
        MAX_CONTENT_LENGTH=settings.max_body_bytes,
        JSON_SORT_KEYS=False,
    )
    contract.install(app)
    api = ProblemApi(app)
    api.ma_plugin.converter.add_attribute_function(_decimal_bounds_as_numbers)
    contract.install_document(api)
    for blueprint in blueprints:
        api.register_blueprint(blueprint)

    db = Database.from_settings(settings)
    if open_resources:
        db.open()
    app.extensions["centrale"] = ServiceResources(
        settings=settings, db=db, bus=Bus.from_settings(settings), temporal=TemporalBridge(settings)
    )
    _install_auth(app, settings)
    app.before_request(contract.refuse_deep_json)
    install_security_headers(app)
    install_health(app)
    app.register_error_handler(Exception, _handle_any_error)

    @app.get("/docs/assets/<path:filename>")
    def swagger_assets(filename: str):
        return send_from_directory(swagger_ui_path, filename, max_age=3600)

    return app


# An API answers data, never a page: nothing in a response may run, load or be framed, and no
# browser guesses another type than the one sent (a file of the vault is no HTML page). The
# Swagger UI (/docs) is the one page a service serves: its own script and styles only.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; sandbox"
DOCS_CSP = ("default-src 'none'; script-src 'self' 'unsafe-inline'; style-src 'self' "
            "'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'none'")


def install_security_headers(app: Flask) -> None:
    @app.after_request
    def security_headers(response):
        docs = request.path == "/docs" or request.path.startswith("/docs/")
        response.headers["Content-Security-Policy"] = DOCS_CSP if docs else API_CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response


def _decimal_bounds_as_numbers(self, field, ret, **kwargs) -> dict:
    """A Decimal field's Range bounds stay Decimals, which JSON writes as strings ("0"):
    OpenAPI wants numbers."""
    for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if isinstance(ret.get(key), (str, Decimal)):
            try:
                ret[key] = float(ret[key])
            except ValueError:
                pass
    return {}


# Where a refusal of the rules becomes an HTTP status: here, at the API's edge, only.
REFUSAL_STATUS = ((NotFound, 404), (Invalid, 422), (Refusal, 409))


def _handle_any_error(error: Exception):
    if isinstance(error, HTTPException):
        return problem_from_http_exception(error)
    if isinstance(error, Refusal):
        status = next(code for kind, code in REFUSAL_STATUS if isinstance(error, kind))
        kind = RULE_PROBLEM if status == 422 else "about:blank"
        return problem(status, error.message, problem_type=kind, errors=error.messages)
    if isinstance(error, psycopg.errors.DataError):
        # PostgreSQL's "data exception" class: a value valid for the schema but out of what the
        # database holds (an amount over 10^14, a UTC offset of -21:05, a page past bigint).
        log.info("value refused by the database", extra={"error": str(error).splitlines()[0]})
        return problem(422, "Une valeur dépasse ce que le service accepte "
                            f"({str(error).splitlines()[0]}).", problem_type=SCHEMA_PROBLEM)
    if _unreachable(error):
        log.warning("a dependency did not answer", extra={"error": repr(error)})
        return problem(503, "Un service dont dépend cette action ne répond pas pour l'instant : "
                            "réessayez dans un moment.")
    return problem_from_unexpected(error)


def _unreachable(error: Exception) -> bool:
    """Temporal down or too slow (the bridge's wait, the frontend's status): a 503 that says
    to try again, not a 500. Views that can say more (accompagnement's cases) catch it first."""
    from temporalio.service import RPCError, RPCStatusCode

    if isinstance(error, (TimeoutError, ConnectionError)):
        return True
    return isinstance(error, RPCError) and error.status in (RPCStatusCode.UNAVAILABLE,
                                                            RPCStatusCode.DEADLINE_EXCEEDED)


def _install_auth(app: Flask, settings: Settings) -> None:
    secret = settings.require_token_secret()

    @app.before_request
    def authenticate():
        if not request.path.startswith("/api/"):
            return None
        try:
            g.identity = verify_token(secret, bearer_token(request.headers.get("Authorization")))
        except AuthError as exc:
            response = problem(401, str(exc))
            response.headers["WWW-Authenticate"] = 'Bearer realm="centrale"'
            return response
        return None


def install_health(app: Flask) -> None:
    """``/healthz`` (the process answers), ``/readyz`` (what it needs answers too) and
    ``/metrics`` (Prometheus: requests by route and status, the readiness checks); requests
    traced when OpenTelemetry export is configured (centrale.tracing)."""
    install_web_metrics(app, lambda: app.extensions["centrale"].readiness_checks())
    instrument_app(app)

    @app.get("/healthz")
    def healthz():
        return jsonify(status="ok", service=resources().settings.service)

    @app.get("/readyz")
    def readyz():
        res = resources()
        checks = res.readiness_checks()
        results = {}
        for name, check in checks.items():
            try:
                check()
                results[name] = "ok"
            except Exception as exc:  # any failure means "not ready", with the reason
                results[name] = f"indisponible : {type(exc).__name__}"
        ready = all(value == "ok" for value in results.values())
        body = {"status": "ready" if ready else "not_ready", "checks": results,
                "service": res.settings.service}
        return jsonify(body), (200 if ready else 503)
