from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.stages import PIPELINE

STAGE_NAMES = ", ".join(stage.value for stage in PIPELINE)


class AdvisorInSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)


class AdvisorPatchSchema(Schema):
    name = fields.String(validate=validate.Length(min=1, max=200))
    email = fields.Email()
    active = fields.Boolean()


class AdvisorOutSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    active = fields.Boolean()
    created_at = fields.DateTime()


class AdvisorRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    email = fields.String()
    active = fields.Boolean()


class PeriodQuerySchema(Schema):
    start = fields.Date(load_default=None)
    end = fields.Date(load_default=None)

    @validates_schema
    def end_after_start(self, data, **kwargs):
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            raise ValidationError("La fin de la période précède son début.", "end")


class PeriodSchema(Schema):
    start = fields.Date(allow_none=True)
    end = fields.Date(allow_none=True)


class WorkloadSchema(Schema):
    advisor = fields.Nested(AdvisorRefSchema)
    open_cases = fields.Integer()
    open_cases_by_stage = fields.Dict(keys=fields.String(), values=fields.Integer(),
                                      metadata={"description": STAGE_NAMES})
    next_deadline = fields.DateTime(allow_none=True)
    hours = fields.Decimal()
    period = fields.Nested(PeriodSchema)
