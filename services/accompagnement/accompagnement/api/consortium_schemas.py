from marshmallow import Schema, fields, validate

from centrale.french import label

from ..domain.consortium import ConsortiumRole

ROLES = [role.value for role in ConsortiumRole]


class SuggestionQuerySchema(Schema):
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=50))


class PartnerStructureSchema(Schema):
    id = fields.Integer()
    legal_name = fields.String()
    category = fields.String()
    departement = fields.String()


class PartnerSuggestionSchema(Schema):
    structure = fields.Nested(PartnerStructureSchema)
    score = fields.Integer()
    covered_lots = fields.List(fields.String())
    suggested_role = fields.String()
    suggested_role_label = fields.String()
    reasons = fields.List(fields.String())


class InvitationInSchema(Schema):
    structure_id = fields.Integer(required=True, validate=validate.Range(min=1))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    message = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class AnswerInSchema(Schema):
    accepted = fields.Boolean(required=True)
    comment = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=4000))


class CompositionEntrySchema(Schema):
    structure_id = fields.Integer(required=True, validate=validate.Range(min=1))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    share_percent = fields.Decimal(required=True, places=2,
                                   validate=validate.Range(min=0, max=100))
    lot_numbers = fields.List(fields.String(validate=validate.Length(min=1, max=50)),
                              load_default=list,
                              metadata={"description": "les lots que ce partenaire tient"})


class CompositionInSchema(Schema):
    members = fields.List(fields.Nested(CompositionEntrySchema), required=True,
                          validate=validate.Length(min=1, max=20))


class MemberOutSchema(Schema):
    structure_id = fields.Integer()
    legal_name = fields.String()
    category = fields.String()
    departement = fields.String()
    role = fields.String()
    role_label = fields.Function(lambda m: ConsortiumRole(m["role"]).label)
    share_percent = fields.Decimal(allow_none=True)
    lot_numbers = fields.List(fields.String())
    status = fields.String()
    status_label = fields.Function(lambda m: label("consortium_status", m["status"]))
    message = fields.String(allow_none=True)
    answer_comment = fields.String(allow_none=True)
    invited_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)


class ConsortiumOutSchema(Schema):
    case_id = fields.Integer()
    kind = fields.String(allow_none=True, metadata={"description": "conjoint, solidaire ou null"})
    formed_at = fields.DateTime(allow_none=True)
    members = fields.List(fields.Nested(MemberOutSchema))
    amounts = fields.Dict(keys=fields.String(), values=fields.Decimal(),
                          allow_none=True)


class InvitationOutSchema(Schema):
    case_id = fields.Integer()
    title = fields.String()
    deadline = fields.DateTime(allow_none=True)
    lead_structure_id = fields.Integer()
    lead_name = fields.String()
    role = fields.String()
    role_label = fields.Function(lambda m: ConsortiumRole(m["role"]).label)
    status = fields.String()
    status_label = fields.Function(lambda m: label("consortium_status", m["status"]))
    message = fields.String(allow_none=True)
    invited_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)
