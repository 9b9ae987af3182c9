"""Errors as ``application/problem+json`` (RFC 9457), with French titles for people.

Validation errors (422) keep marshmallow's field messages under ``errors``, keyed by where the
field came from (``json``, ``query``…), so a form can show each message beside its field.

A 422's ``type`` says why: :data:`SCHEMA_PROBLEM` when the request does not match the service's
OpenAPI document (or exceeds what it can hold), :data:`RULE_PROBLEM` when it matches it but a rule
of the domain refuses it (a SIRET whose key is wrong, a structure that does not exist). A client
generated from the document never sends the first kind; the fuzz test holds the services to it.
"""

from __future__ import annotations

import logging

from flask import Response, json
from marshmallow import Schema, ValidationError, fields
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
SCHEMA_PROBLEM = "urn:centrale:probleme:schema"
RULE_PROBLEM = "urn:centrale:probleme:regle"

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


class ProblemSchema(Schema):
    """What every error answers (documentation only: :func:`problem` writes it)."""

    type = fields.String(metadata={"description": "about:blank, ou pour un 422 : "
                                   f"{SCHEMA_PROBLEM} (requête hors du schéma) ou "
                                   f"{RULE_PROBLEM} (refusée par une règle métier)"})
    title = fields.String(metadata={"description": "Intitulé de l'erreur, en français"})
    status = fields.Integer(metadata={"description": "Code HTTP"})
    detail = fields.String(metadata={"description": "Explication, en français"})
    errors = fields.Dict(metadata={"description": "Messages par emplacement puis par champ "
                                                  "(json, query…), pour un 422"})


# Werkzeug's own descriptions are English: a refusal it raises by itself (an unknown URL, a
# method the route lacks, a body that is not JSON) is explained in French instead.
FRENCH_DETAILS = {
    400: "La requête est mal formée.",
    404: "Aucune ressource à cette adresse.",
    405: "Cette méthode n'est pas acceptée à cette adresse.",
    413: "Le corps de la requête dépasse la taille acceptée.",
    415: "Ce type de contenu n'est pas accepté ici.",
    429: "Trop de requêtes : réessayez dans un moment.",
}


def problem(status: int, detail: str | None = None, problem_type: str = "about:blank",
            **extra) -> Response:
    body = {"type": problem_type, "title": FRENCH_TITLES.get(status, "Erreur"), "status": status}
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
    if detail is None and status != 500:
        own = error.description != type(error).description
        detail = error.description if own else FRENCH_DETAILS.get(status)
    kind = "about:blank"
    if status == 422:
        # webargs keeps the marshmallow refusal on the error as ``exc``; a view's own
        # abort(422) has none.
        refusal = getattr(error, "exc", None) or data.get("exc")
        by_schema = isinstance(refusal, ValidationError) and not getattr(
            refusal, "refused_by_rules_only", False)
        kind = SCHEMA_PROBLEM if by_schema else RULE_PROBLEM
    response = problem(status, detail, problem_type=kind, errors=errors)
    for name, value in error.get_headers():
        if name.lower() != "content-type":  # werkzeug's own, such as a 405's Allow
            response.headers[name] = value
    for name, value in (data.get("headers") or {}).items():
        response.headers[name] = value
    return response


def problem_from_unexpected(error: Exception) -> Response:
    log.exception("unhandled error", exc_info=error)
    return problem(500, "Une erreur inattendue est survenue ; elle a été journalisée.")
