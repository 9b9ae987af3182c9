from marshmallow import Schema, fields, validate


class RegistrationInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    email = fields.Email(required=True, validate=validate.Length(max=320))
    structure_id = fields.Integer(load_default=None, validate=validate.Range(min=1),
                                  metadata={"description": "Obligatoire pour l'équipe de la "
                                                           "Centrale ; un membre inscrit les "
                                                           "personnes de sa structure."})


class SurveyOutSchema(Schema):
    score = fields.Integer()
    comment = fields.String(allow_none=True)
    answered_at = fields.DateTime()


class RegistrationOutSchema(Schema):
    id = fields.Integer()
    session_id = fields.Integer()
    module_title = fields.String()
    session_starts_at = fields.DateTime()
    structure_id = fields.Integer()
    name = fields.String()
    email = fields.String()
    status = fields.String(metadata={"description": "confirmed, waitlisted ou cancelled"})
    waitlist_position = fields.Integer(allow_none=True)
    registered_by = fields.String()
    created_at = fields.DateTime()
    confirmed_at = fields.DateTime(allow_none=True)
    promoted_at = fields.DateTime(allow_none=True)
    cancelled_at = fields.DateTime(allow_none=True)
    attended = fields.Boolean(allow_none=True)
    attended_hours = fields.Decimal(allow_none=True)
    attendance_recorded_at = fields.DateTime(allow_none=True)
    survey = fields.Nested(SurveyOutSchema, allow_none=True)
    certificate_path = fields.String(allow_none=True)


class CancelOutSchema(Schema):
    registration = fields.Nested(RegistrationOutSchema)
    promoted = fields.List(fields.Nested(RegistrationOutSchema),
                           metadata={"description": "Les personnes de la liste d'attente qui "
                                                    "prennent la place (celles que vous "
                                                    "pouvez voir)."})


class RegistrationQuerySchema(Schema):
    structure_id = fields.Integer(load_default=None)
    session_id = fields.Integer(load_default=None)
    status = fields.String(load_default=None,
                           validate=validate.OneOf(["confirmed", "waitlisted", "cancelled"]))
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class SessionRegistrationQuerySchema(Schema):
    status = fields.String(load_default=None,
                           validate=validate.OneOf(["confirmed", "waitlisted", "cancelled"]))


class SurveyInSchema(Schema):
    score = fields.Integer(required=True, strict=True, validate=validate.Range(
        min=1, max=5, error="Une note de 1 à 5 est attendue."))
    comment = fields.String(load_default=None, validate=validate.Length(max=4000))
