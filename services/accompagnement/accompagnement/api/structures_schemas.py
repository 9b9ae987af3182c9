from marshmallow import Schema, fields, validate

from centrale.schemas import Amount

from ..domain.structures import Category, InsertionKind, LegalForm

CATEGORIES = [c.value for c in Category]
INSERTION_KINDS = [k.value for k in InsertionKind]
LEGAL_FORMS = [f.value for f in LegalForm]


class AddressSchema(Schema):
    street = fields.String(required=True, validate=validate.Length(min=1, max=300))
    postal_code = fields.String(required=True, validate=validate.Length(min=1, max=10))
    city = fields.String(required=True, validate=validate.Length(min=1, max=200))


class CapacitiesSchema(Schema):
    headcount = fields.Integer(load_default=None, allow_none=True,
                               validate=validate.Range(min=0))
    annual_turnover = Amount(load_default=None, allow_none=True)
    insurance_coverage = Amount(load_default=None, allow_none=True)
    insurer = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    insurance_expires_on = fields.Date(load_default=None, allow_none=True)


class SocialValueSchema(Schema):
    insertion_hours_per_year = fields.Integer(load_default=None, allow_none=True,
                                              validate=validate.Range(min=0))
    people_supported = fields.Integer(load_default=None, allow_none=True,
                                      validate=validate.Range(min=0))
    local_employment_percent = fields.Decimal(load_default=None, allow_none=True, places=2,
                                              validate=validate.Range(min=0, max=100))
    social_mission = fields.String(load_default=None, allow_none=True,
                                   validate=validate.Length(max=4000))


class ReferenceSchema(Schema):
    title = fields.String(required=True, validate=validate.Length(min=1, max=500))
    buyer = fields.String(required=True, validate=validate.Length(min=1, max=300))
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=2100))
    amount = Amount(load_default=None, allow_none=True)
    cpv_codes = fields.List(fields.String(validate=validate.Length(min=2, max=12)),
                            load_default=list)


class ContactSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    email = fields.Email(required=True)
    role = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=30))


class StructureInSchema(Schema):
    legal_name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    siret = fields.String(required=True, validate=validate.Length(max=30))
    legal_form = fields.String(required=True, validate=validate.OneOf(LEGAL_FORMS))
    category = fields.String(required=True, validate=validate.OneOf(CATEGORIES))
    insertion_kind = fields.String(load_default=None, allow_none=True,
                                   validate=validate.OneOf(INSERTION_KINDS))
    address = fields.Nested(AddressSchema, load_default=None, allow_none=True)
    # Derived from the postal code when left out.
    departement = fields.String(load_default=None, allow_none=True,
                                validate=validate.Length(max=3))
    activities = fields.List(fields.String(validate=validate.Length(min=2, max=12)),
                             load_default=list)
    capacities = fields.Nested(CapacitiesSchema, load_default=dict)
    social_value = fields.Nested(SocialValueSchema, load_default=dict)
    references = fields.List(fields.Nested(ReferenceSchema), load_default=list)
    contacts = fields.List(fields.Nested(ContactSchema), load_default=list)


class StructurePatchSchema(StructureInSchema):
    """The same fields, each optional (load it with ``partial=True``)."""


class StructureOutSchema(Schema):
    id = fields.Integer()
    legal_name = fields.String()
    siret = fields.String()
    siren = fields.Function(lambda s: s["siret"][:9])
    legal_form = fields.String()
    legal_form_label = fields.Function(lambda s: LegalForm(s["legal_form"]).label)
    category = fields.String()
    category_label = fields.Function(lambda s: Category(s["category"]).label)
    insertion_kind = fields.String(allow_none=True)
    insertion_kind_label = fields.Function(
        lambda s: InsertionKind(s["insertion_kind"]).label if s["insertion_kind"] else None)
    address = fields.Nested(AddressSchema, allow_none=True)
    departement = fields.String()
    activities = fields.List(fields.String())
    capacities = fields.Nested(CapacitiesSchema)
    social_value = fields.Nested(SocialValueSchema)
    references = fields.List(fields.Nested(ReferenceSchema))
    contacts = fields.List(fields.Nested(ContactSchema))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class StructureQuerySchema(Schema):
    id = fields.List(fields.Integer(validate=validate.Range(min=1)), load_default=None,
                     validate=validate.Length(max=200),
                     metadata={"description": "seulement ces structures (id répété)"})
    category = fields.String(load_default=None, validate=validate.OneOf(CATEGORIES))
    departement = fields.String(load_default=None, validate=validate.Length(max=3))
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=100))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class TermSchema(Schema):
    value = fields.String()
    label = fields.String()


class VocabularySchema(Schema):
    categories = fields.List(fields.Nested(TermSchema))
    legal_forms = fields.List(fields.Nested(TermSchema))
    insertion_kinds = fields.List(fields.Nested(TermSchema))
    document_kinds = fields.List(fields.Nested(TermSchema))
