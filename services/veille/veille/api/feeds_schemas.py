"""What the API says about the live sources' polls and the quarantine."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

SOURCES = ("boamp", "ted", "decp")


class PollQuerySchema(Schema):
    source = fields.String(validate=validate.OneOf(SOURCES), metadata={"description": "une seule source"})


class PollOutSchema(Schema):
    id = fields.Integer()
    source = fields.String()
    status = fields.String(metadata={"description": "running, finished ou failed"})
    started_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)
    pages = fields.Integer()
    announced = fields.Integer(metadata={"description": "ce que la source a annoncé pour les fenêtres lues"})
    received = fields.Integer(metadata={"description": "enregistrements reçus"})
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer(metadata={"description": "déjà connus (relus par le recouvrement)"})
    quarantined = fields.Integer()
    skipped = fields.Integer(metadata={"description": "annoncés mais illisibles (sans lien XML, au-delà "
                                                      "du plafond de la source)"})
    unread = fields.Integer(metadata={"description": "parties d'avis non lues (forme inconnue)"})
    missing = fields.Integer(metadata={"description": "annoncés moins (créés + mis à jour + inchangés + "
                                                      "en quarantaine + ignorés) : 0 quand rien n'est perdu"})
    first_cursor = fields.Dict(allow_none=True)
    last_cursor = fields.Dict(allow_none=True)
    error = fields.String(allow_none=True)


class QuarantinedOutSchema(Schema):
    id = fields.Integer()
    origin = fields.String()
    reason = fields.String()
    content = fields.String(metadata={"description": "le texte brut entier de l'avis ou de l'enregistrement"})
    created_at = fields.DateTime()
