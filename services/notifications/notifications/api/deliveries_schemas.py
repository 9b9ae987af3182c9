from marshmallow import Schema, fields, validate

from ..domain.delivery import DeliveryStatus

STATUSES = [status.value for status in DeliveryStatus]


class DeliveryQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    recipient = fields.Email(load_default=None)
    event_type = fields.String(load_default=None, validate=validate.Length(max=100))
    event_id = fields.UUID(load_default=None)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class DeliverySchema(Schema):
    id = fields.Integer()
    event_id = fields.UUID()
    event_type = fields.String()
    recipient = fields.String()
    channel = fields.String()
    kind = fields.String()
    mode = fields.String()
    status = fields.String(metadata={"enum": STATUSES})
    reason = fields.String(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    email_id = fields.Integer(allow_none=True)
    purpose = fields.String(allow_none=True, metadata={"description": "immediate ou digest"})
    subject = fields.String(allow_none=True)
    message_id = fields.String(allow_none=True)
    email_status = fields.String(allow_none=True)
    attempts = fields.Integer(allow_none=True)
    last_error = fields.String(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    confirmed_at = fields.DateTime(allow_none=True)
    confirmed = fields.Function(lambda row: row.get("confirmed_at") is not None)
    server_reply = fields.String(allow_none=True)
    digest_id = fields.Integer(allow_none=True)


class DeliverySummarySchema(Schema):
    deliveries = fields.Dict(keys=fields.String(), values=fields.Integer())
    emails = fields.Dict(keys=fields.String(), values=fields.Integer())
