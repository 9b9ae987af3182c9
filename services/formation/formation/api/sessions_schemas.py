from marshmallow import Schema, ValidationError, fields, validate, validates_schema


class ModuleSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9-]{2,60}$", error="Code en minuscules, chiffres et tirets."))
    title = fields.String(required=True, validate=validate.Length(min=3, max=300))
    objectives = fields.String(load_default="", validate=validate.Length(max=5000))
    duration_h = fields.Decimal(required=True, as_string=True, places=2,
                                validate=validate.Range(min=0.25, max=200))


class SessionInSchema(Schema):
    module_code = fields.String(required=True)
    starts_at = fields.AwareDateTime(required=True, format="iso")
    ends_at = fields.AwareDateTime(required=True, format="iso")
    place = fields.String(required=True, validate=validate.Length(min=2, max=500))
    trainer = fields.String(required=True, validate=validate.Length(min=2, max=200))
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=500))

    @validates_schema
    def ends_after_start(self, data, **kwargs):
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("La fin doit suivre le début.", "ends_at")


class SessionOutSchema(Schema):
    id = fields.Integer()
    module_code = fields.String()
    module_title = fields.String()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    place = fields.String()
    trainer = fields.String()
    capacity = fields.Integer()
    status = fields.String()
    workflow_id = fields.String()


class CancelInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class PageQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
