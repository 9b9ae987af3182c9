from marshmallow import Schema, fields, validate


class InvitationInSchema(Schema):
    invitation_id = fields.UUID(required=True)  # the portail's: the same one sends once
    email = fields.Email(required=True, validate=validate.Length(max=254))
    link = fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                      validate=validate.Length(max=2000))
    invited_by = fields.String(required=True, validate=validate.Length(min=1, max=200))
    role = fields.String(required=True, validate=validate.OneOf(
        ["membre", "conseiller", "admin", "acheteur", "facilitateur"]))
    structure_id = fields.Integer(load_default=None, allow_none=True,
                                  validate=validate.Range(min=1))
    expires_at = fields.AwareDateTime(required=True)


class InvitationOutSchema(Schema):
    invitation_id = fields.UUID()
    queued = fields.Boolean(metadata={"description": "False : cette invitation était déjà "
                                                     "demandée, rien n'est envoyé deux fois."})


class PasswordResetInSchema(Schema):
    reset_id = fields.UUID(required=True)  # the portail's: the same one sends once
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    link = fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                      validate=validate.Length(max=2000))
    expires_at = fields.AwareDateTime(required=True)


class PasswordResetOutSchema(Schema):
    reset_id = fields.UUID()
    queued = fields.Boolean()
