"""Errors as ``application/problem+json`` (RFC 9457), with French titles for people.

Validation errors (422) keep marshmallow's field messages under ``errors``, keyed by where the
field came from (``json``, ``query``…), so a form can show each message beside its field.
"""

from __future__ import annotations

import logging

from flask import Response, json
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"

FRENCH_TITLES = {
    400: "Requête invalide",
    401: "Authentification requise",
    403: "Accès refusé",
    404: "Ressource introuvable",
    405: "Méthode non autorisée",
    409: "Conflit",
    413: "Requête trop volumineuse",
    415: "Type de contenu non pris en charge",
    422: "Données invalides",
    429: "Trop de requêtes",
    500: "Erreur interne",
    503: "Service indisponible",
}


def problem(status: int, detail: str | None = None, **extra) -> Response:
    body = {"type": "about:blank", "title": FRENCH_TITLES.get(status, "Erreur"), "status": status}
    if detail:
        body["detail"] = detail
    body.update({k: v for k, v in extra.items() if v is not None})
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)


def problem_from_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = data.get("messages")
    detail = data.get("message")
    if detail is None and status == 422:
        detail = "Certains champs sont invalides."
    if detail is None:
        detail = error.description if status != 500 else None
    response = problem(status, detail, errors=errors)
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    return response


def problem_from_unexpected(error: Exception) -> Response:
    log.exception("unhandled error", exc_info=error)
    return problem(500, "Une erreur inattendue est survenue ; elle a été journalisée.")
