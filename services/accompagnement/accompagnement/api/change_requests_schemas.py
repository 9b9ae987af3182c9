from marshmallow import Schema, fields, validate

from centrale.french import label

from ..domain.official_changes import describe
from .structures_schemas import CATEGORIES, INSERTION_KINDS, LEGAL_FORMS

STATUSES = ("pending", "approved", "rejected")


class ChangeRequestInSchema(Schema):
    """The official fields to change (at least one), each optional, and why."""

    legal_name = fields.String(validate=validate.Length(min=1, max=300))
    siret = fields.String(validate=validate.Length(max=30))
    legal_form = fields.String(validate=validate.OneOf(LEGAL_FORMS))
    category = fields.String(validate=validate.OneOf(CATEGORIES))
    insertion_kind = fields.String(allow_none=True, validate=validate.OneOf(INSERTION_KINDS))
    comment = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=2000),
                            metadata={"description": "pourquoi (un justificatif à l'appui…)"})


class RejectionSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000),
                           metadata={"description": "le motif du refus, dit au demandeur"})


class ChangeRequestQuerySchema(Schema):
    status = fields.String(load_default="pending", validate=validate.OneOf(STATUSES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class ChangeRequestOutSchema(Schema):
    id = fields.Integer()
    structure_id = fields.Integer()
    structure_name = fields.String()
    changes = fields.Dict(metadata={"description": "champ officiel → valeur demandée"})
    previous = fields.Dict(metadata={"description": "champ officiel → valeur au moment de la "
                                                    "demande"})
    summary = fields.Function(lambda r: describe(r["previous"], r["changes"]),
                              metadata={"description": "la demande, en français"})
    comment = fields.String(allow_none=True)
    status = fields.String()
    status_label = fields.Function(lambda r: label("change_request_status", r["status"]))
    requested_by = fields.String(metadata={"description": "qui l'a demandée (sujet du jeton)"})
    requested_at = fields.DateTime()
    decided_by = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)
