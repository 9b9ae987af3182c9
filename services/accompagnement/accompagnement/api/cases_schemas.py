from marshmallow import Schema, fields, validate

from ..domain.stages import Stage

STAGES = [stage.value for stage in Stage]


class CaseInSchema(Schema):
    structure_id = fields.Integer(required=True, validate=validate.Range(min=1))
    tender_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    title = fields.String(required=True, validate=validate.Length(min=3, max=500))


class CaseOutSchema(Schema):
    id = fields.Integer()
    structure_id = fields.Integer()
    tender_id = fields.Integer(allow_none=True)
    title = fields.String()
    stage = fields.String()
    stage_label = fields.Method("label")
    workflow_id = fields.String()
    opened_by = fields.String()
    opened_at = fields.DateTime()
    updated_at = fields.DateTime()

    def label(self, case):
        return Stage(case["stage"]).label


class CaseQuerySchema(Schema):
    structure_id = fields.Integer(load_default=None, validate=validate.Range(min=1))
    stage = fields.String(load_default=None, validate=validate.OneOf(STAGES))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class StageChangeInSchema(Schema):
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=2000))


class HistoryEntrySchema(Schema):
    from_stage = fields.String(allow_none=True)
    to_stage = fields.String()
    changed_by = fields.String()
    reason = fields.String(allow_none=True)
    changed_at = fields.DateTime()


class CaseDetailSchema(CaseOutSchema):
    history = fields.List(fields.Nested(HistoryEntrySchema))
