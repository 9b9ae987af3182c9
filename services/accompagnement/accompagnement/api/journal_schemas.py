from decimal import Decimal

from marshmallow import Schema, fields, validate

from centrale.french import LABELS, label

# What the hours were spent on, for the funders' reports.
ACTIVITIES = LABELS["journal_activity"]


class NoteInSchema(Schema):
    body = fields.String(required=True, validate=validate.Length(min=1, max=10000))
    shared = fields.Boolean(load_default=False, metadata={
        "description": "lisible par les membres de la structure (sinon note interne)"})


class NoteOutSchema(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    body = fields.String()
    author = fields.String()
    shared = fields.Boolean()
    created_at = fields.DateTime()


class TimeInSchema(Schema):
    spent_on = fields.Date(required=True)
    # At least a cent of an hour: a smaller number would round to 0.
    hours = fields.Decimal(required=True, places=2,
                           validate=validate.Range(min=Decimal("0.01"), max=24))
    activity = fields.String(required=True, validate=validate.OneOf(list(ACTIVITIES)))
    comment = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=2000))
    # Whose hours: the case's advisor unless told.
    advisor_id = fields.Integer(load_default=None, allow_none=True,
                                validate=validate.Range(min=1))


class TimeOutSchema(Schema):
    id = fields.Integer()
    case_id = fields.Integer()
    advisor_id = fields.Integer(allow_none=True)
    spent_on = fields.Date()
    hours = fields.Decimal()
    activity = fields.String()
    activity_label = fields.Function(lambda entry: label("journal_activity", entry["activity"]))
    comment = fields.String(allow_none=True)
    recorded_by = fields.String()
    created_at = fields.DateTime()


class TimeSummarySchema(Schema):
    total_hours = fields.Decimal()
    entries = fields.List(fields.Nested(TimeOutSchema))
