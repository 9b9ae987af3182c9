from marshmallow import Schema, fields, validate

from ..domain.diagnosis import Criterion, Decision, TrainingModule

CRITERIA = [c.value for c in Criterion]


class DiagnosisInSchema(Schema):
    """Scores 0–5 per criterion (null: not applicable). Criteria left out take the suggested
    score when there is one."""

    scores = fields.Dict(keys=fields.String(validate=validate.OneOf(CRITERIA)),
                         values=fields.Integer(allow_none=True,
                                               validate=validate.Range(min=0, max=5)),
                         load_default=dict)
    weights = fields.Dict(keys=fields.String(validate=validate.OneOf(CRITERIA)),
                          values=fields.Integer(validate=validate.Range(min=0, max=10)),
                          load_default=dict)
    comment = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=4000))


class CriterionSchema(Schema):
    criterion = fields.String()
    label = fields.String()
    weight = fields.Integer()
    suggested = fields.Integer(allow_none=True)
    suggested_as = fields.String(metadata={"description": "score, non_applicable or to_score"})


class SuggestionsSchema(Schema):
    criteria = fields.List(fields.Nested(CriterionSchema))
    suggested_scores = fields.Dict(keys=fields.String(), values=fields.Integer(allow_none=True))
    to_score = fields.List(fields.String())


class DiagnosisOutSchema(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    decision = fields.String()
    decision_label = fields.Function(lambda d: Decision(d["decision"]).label)
    score = fields.Decimal()
    reasons = fields.List(fields.String())
    recommended_modules = fields.Method("modules", metadata={"type": "array"})
    scores = fields.Dict(keys=fields.String(), values=fields.Integer(allow_none=True))
    weights = fields.Dict(keys=fields.String(), values=fields.Integer())
    comment = fields.String(allow_none=True)
    completed_by = fields.String()
    completed_at = fields.DateTime()

    def modules(self, diagnosis):
        """Codes of the formation service's modules, with their titles."""
        return [{"code": code, "title": TrainingModule(code).title}
                for code in diagnosis["recommended_modules"]]
