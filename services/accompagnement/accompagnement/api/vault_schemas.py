from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.checklist import DocumentKind

KINDS = [kind.value for kind in DocumentKind]


class DocumentFormSchema(Schema):
    """Sent as multipart/form-data; the file itself is optional (metadata alone is kept)."""

    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    title = fields.String(load_default=None, validate=validate.Length(min=1, max=300))
    issued_on = fields.Date(load_default=None)
    expires_on = fields.Date(load_default=None)

    @validates_schema
    def dates_in_order(self, data, **kwargs):
        if data.get("issued_on") and data.get("expires_on") and \
                data["expires_on"] < data["issued_on"]:
            raise ValidationError("La fin de validité précède la date de délivrance.",
                                  "expires_on")


class DocumentFileSchema(Schema):
    file = fields.Raw(load_default=None, metadata={"type": "string", "format": "binary"})


class DocumentOutSchema(Schema):
    id = fields.Integer()
    structure_id = fields.Integer()
    kind = fields.String()
    kind_label = fields.Function(lambda d: DocumentKind(d["kind"]).label)
    title = fields.String()
    issued_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    filename = fields.String(allow_none=True)
    content_type = fields.String(allow_none=True)
    size_bytes = fields.Integer(allow_none=True)
    has_file = fields.Boolean()
    uploaded_by = fields.String()
    uploaded_at = fields.DateTime()


class WarningQuerySchema(Schema):
    days = fields.Integer(load_default=30, validate=validate.Range(min=0, max=365))


class ExpiryWarningSchema(Schema):
    document_id = fields.Integer()
    kind = fields.String()
    kind_label = fields.String()
    valid_until = fields.Date()
    days_left = fields.Integer()
    message = fields.String()
