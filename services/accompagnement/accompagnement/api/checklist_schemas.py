from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..domain.checklist import PRICE_SCHEDULES, DocumentKind, ItemStatus

STATUSES = [status.value for status in ItemStatus]


class ChecklistInSchema(Schema):
    """How the answer is made: it decides which documents the file needs."""

    use_dume = fields.Boolean(load_default=False)
    price_schedule = fields.String(load_default=DocumentKind.BPU.value,
                                   validate=validate.OneOf([k.value for k in PRICE_SCHEDULES]))
    with_subcontractors = fields.Boolean(load_default=False)
    replace = fields.Boolean(load_default=False,
                             metadata={"description": "refaire une liste existante"})


class ItemPatchSchema(Schema):
    status = fields.String(validate=validate.OneOf(STATUSES))
    required = fields.Boolean()
    issued_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    document_id = fields.Integer(allow_none=True, validate=validate.Range(min=1))
    comment = fields.String(allow_none=True, validate=validate.Length(max=2000))

    @validates_schema
    def something_to_change(self, data, **kwargs):
        if not data:
            raise ValidationError("Indiquez au moins une modification.")


class ItemOutSchema(Schema):
    kind = fields.String()
    label = fields.String()
    status = fields.String()
    status_label = fields.String()
    stored_status = fields.String()
    required = fields.Boolean()
    issued_on = fields.Date(allow_none=True)
    expires_on = fields.Date(allow_none=True)
    valid_until = fields.Date(allow_none=True)
    renew_from = fields.Date(allow_none=True, metadata={
        "description": "date de délivrance minimale pour être valable le jour du dépôt"})
    document_id = fields.Integer(allow_none=True)
    comment = fields.String(allow_none=True)
    updated_by = fields.String()
    updated_at = fields.DateTime()


class ChecklistOutSchema(Schema):
    case_id = fields.Integer()
    deadline_day = fields.Date(allow_none=True)
    complete = fields.Boolean()
    missing = fields.List(fields.String())
    items = fields.List(fields.Nested(ItemOutSchema))
