from marshmallow import Schema, fields


class AuditEntrySchema(Schema):
    id = fields.Integer()
    action = fields.String()
    summary = fields.String(metadata={"description": "ce qui a changé, en français"})
    actor = fields.String(metadata={"description": "qui (le sujet de son jeton)"})
    details = fields.Dict()
    at = fields.DateTime()
