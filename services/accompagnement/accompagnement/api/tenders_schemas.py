from marshmallow import Schema, fields, validate


class TenderQuerySchema(Schema):
    open = fields.Boolean(load_default=True)
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class TenderOutSchema(Schema):
    id = fields.Integer()
    version = fields.Integer()
    source = fields.String(allow_none=True)
    source_id = fields.String(allow_none=True)
    title = fields.String()
    deadline = fields.DateTime(allow_none=True)
    buyer_name = fields.String(allow_none=True)
    cpv_main = fields.String(allow_none=True)
    departments = fields.List(fields.String())
    procedure_type = fields.String(allow_none=True)
    reserved = fields.List(fields.String())
    social_criteria = fields.Boolean()
    estimated_amount = fields.Decimal(allow_none=True)
    lots = fields.List(fields.Dict())
    url = fields.String(allow_none=True)
    updated_at = fields.DateTime()
