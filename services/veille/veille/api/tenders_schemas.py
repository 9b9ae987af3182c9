from marshmallow import Schema, fields, validate

CPV = validate.Regexp(r"^\d{8}$", error="Code CPV à 8 chiffres attendu (sans chiffre de contrôle).")
SOURCES = ("boamp", "ted", "decp", "manuel")
NOTICE_TYPES = ("contract", "prior_information", "award", "corrigendum", "other")


class BuyerSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    siret = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\d{14}$", error="SIRET à 14 chiffres."))
    nuts = fields.String(load_default=None, allow_none=True)


class TenderInSchema(Schema):
    source = fields.String(required=True, validate=validate.OneOf(SOURCES))
    source_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    procedure_id = fields.String(load_default=None, allow_none=True)
    notice_type = fields.String(load_default="contract", validate=validate.OneOf(NOTICE_TYPES))
    title = fields.String(required=True, validate=validate.Length(min=3, max=1000))
    description = fields.String(load_default="", validate=validate.Length(max=20000))
    buyer = fields.Nested(BuyerSchema, required=True)
    cpv_main = fields.String(load_default=None, allow_none=True, validate=CPV)
    cpv_additional = fields.List(fields.String(validate=CPV), load_default=list)
    deadline = fields.AwareDateTime(load_default=None, allow_none=True, format="iso")
    url = fields.URL(load_default=None, allow_none=True)


class TenderOutSchema(Schema):
    id = fields.Integer()
    source = fields.String()
    source_id = fields.String()
    procedure_id = fields.String(allow_none=True)
    notice_type = fields.String()
    title = fields.String()
    buyer_name = fields.String(allow_none=True)
    cpv_main = fields.String(allow_none=True)
    deadline = fields.DateTime(allow_none=True)
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    notice = fields.Dict()


class PageQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class ImportInSchema(Schema):
    notices = fields.List(fields.Nested(TenderInSchema), required=True,
                          validate=validate.Length(min=1, max=500))


class WorkflowRefSchema(Schema):
    workflow_id = fields.String()
    status = fields.String()
    result = fields.Dict(allow_none=True)
