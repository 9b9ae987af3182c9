from marshmallow import Schema, fields, validate

from ..domain.directory import MAX_ITEMS, MAX_LABEL, MAX_PRESENTATION
from .structures_schemas import CATEGORIES, INSERTION_KINDS

_ITEMS = validate.Length(max=MAX_ITEMS)


class CardInSchema(Schema):
    """What a structure writes on its public card (the rest comes from the registry)."""

    presentation = fields.String(load_default="",
                                 validate=validate.Length(max=MAX_PRESENTATION))
    activities = fields.List(fields.String(validate=validate.Length(min=2, max=12)),
                             load_default=list, validate=_ITEMS,
                             metadata={"description": "codes CPV ou préfixes"})
    departements = fields.List(fields.String(validate=validate.Length(min=1, max=3)),
                               load_default=list, validate=_ITEMS)
    communes = fields.List(fields.String(validate=validate.Length(min=1, max=MAX_LABEL)),
                           load_default=list, validate=_ITEMS)
    labels = fields.List(fields.String(validate=validate.Length(min=1, max=MAX_LABEL)),
                         load_default=list, validate=_ITEMS)
    website = fields.String(load_default=None, allow_none=True,
                            validate=validate.Length(max=300))


class ConsentInSchema(Schema):
    given = fields.Boolean(required=True, metadata={
        "description": "true : la structure accepte de figurer dans l'annuaire ; false : elle "
                       "retire son accord (sa fiche quitte l'annuaire aussitôt)"})


class ActivitySchema(Schema):
    code = fields.String()
    label = fields.String(allow_none=True)


class DepartementSchema(Schema):
    code = fields.String()
    name = fields.String()


class PublicCardSchema(Schema):
    structure_id = fields.Integer()
    name = fields.String()
    siret = fields.String()
    category = fields.String()
    insertion_kind = fields.String(allow_none=True)
    category_text = fields.String()
    city = fields.String(allow_none=True)
    presentation = fields.String()
    activities = fields.List(fields.Nested(ActivitySchema))
    departements = fields.List(fields.Nested(DepartementSchema))
    communes = fields.List(fields.String())
    labels = fields.List(fields.String())
    website = fields.String(allow_none=True)
    staff_band = fields.String(allow_none=True)
    staff_band_label = fields.String(allow_none=True)
    turnover_band = fields.String(allow_none=True)
    turnover_band_label = fields.String(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)


class ConsentSchema(Schema):
    given = fields.Boolean()
    given_by = fields.String()
    given_by_role = fields.String()
    at = fields.DateTime()


class CardSchema(PublicCardSchema):
    listed = fields.Boolean()
    listed_since = fields.DateTime(allow_none=True)
    consent_wording = fields.String()
    consents = fields.List(fields.Nested(ConsentSchema))


class DirectoryQuerySchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=200))
    category = fields.String(load_default=None, validate=validate.OneOf(CATEGORIES))
    insertion_kind = fields.String(load_default=None, validate=validate.OneOf(INSERTION_KINDS))
    departement = fields.String(load_default=None, validate=validate.Length(min=1, max=3))
    cpv = fields.String(load_default=None, validate=validate.Regexp(
        r"^\d{2,8}(-\d)?$", error="Code CPV ou préfixe attendu (2 à 8 chiffres)."))
    label = fields.String(load_default=None, validate=validate.Length(min=1, max=MAX_LABEL))
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=100_000))


class DirectoryPageSchema(Schema):
    total = fields.Integer()
    items = fields.List(fields.Nested(PublicCardSchema))
    labels = fields.List(fields.String(), metadata={
        "description": "les labels des fiches de l'annuaire, pour le filtre"})
