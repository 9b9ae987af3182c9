from marshmallow import Schema, fields, validate

from ..domain.kinds import KINDS_BY_CODE


class PersonQuerySchema(Schema):
    email = fields.Email(load_default=None, metadata={
        "description": "La personne (conseillers et services seulement ; par défaut : soi)."})


class FeedQuerySchema(PersonQuerySchema):
    unread = fields.Boolean(load_default=False, metadata={"description": "Non lues seulement."})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class NotificationSchema(Schema):
    id = fields.Integer()
    event_id = fields.UUID()
    event_type = fields.String()
    kind = fields.String()
    kind_label = fields.Function(lambda row: KINDS_BY_CODE[row["kind"]].label
                                 if row["kind"] in KINDS_BY_CODE else row["kind"])
    recipient = fields.String()
    role = fields.String()
    structure_id = fields.Integer(allow_none=True)
    title = fields.String()
    summary = fields.String()
    path = fields.String(allow_none=True, metadata={
        "description": "La page du portail qui en parle (chemin, ex. /dossiers/12)."})
    occurred_at = fields.DateTime()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    read = fields.Function(lambda row: row["read_at"] is not None)


class UnreadCountSchema(Schema):
    email = fields.String()
    unread = fields.Integer()


class MarkedSchema(Schema):
    email = fields.String()
    marked = fields.Integer()
