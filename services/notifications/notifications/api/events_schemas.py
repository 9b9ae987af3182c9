from marshmallow import Schema, fields, validate


class ReceivedEventSchema(Schema):
    event_id = fields.UUID()
    event_type = fields.String()
    subject = fields.String()
    producer = fields.String()
    occurred_at = fields.DateTime()
    received_at = fields.DateTime()
    data = fields.Dict()


class EventQuerySchema(Schema):
    type = fields.String(load_default=None, validate=validate.Length(max=100))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class DigestRefSchema(Schema):
    workflow_id = fields.String()
    status = fields.String()
    result = fields.Dict(allow_none=True)
