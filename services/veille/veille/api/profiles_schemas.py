from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from centrale.schemas import Amount, Department

from ..domain.matching import CLAUSES, NOTICE_KINDS
from .tenders_schemas import CPV_PREFIX


class ProfileInSchema(Schema):
    structure_id = fields.Integer(load_default=None, validate=validate.Range(min=1))
    name = fields.String(required=True, validate=validate.Length(min=2, max=120))
    cpv_prefixes = fields.List(fields.String(validate=CPV_PREFIX), load_default=list,
                               validate=validate.Length(max=50))
    keywords = fields.List(fields.String(validate=validate.Length(min=2, max=100)),
                           load_default=list, validate=validate.Length(max=30))
    departments = fields.List(Department(), load_default=list,
                              validate=validate.Length(max=101))
    min_value = Amount(load_default=None, allow_none=True)
    max_value = Amount(load_default=None, allow_none=True)
    reserved_only = fields.Boolean(load_default=False)
    notice_kinds = fields.List(fields.String(validate=validate.OneOf(NOTICE_KINDS)),
                               load_default=lambda: list(NOTICE_KINDS),
                               validate=validate.Length(min=1))
    clauses = fields.List(fields.String(validate=validate.OneOf(CLAUSES)), load_default=list,
                          metadata={"description": "lots portant une clause sociale (social) ou"
                                    " d'insertion (insertion)"})

    @validates_schema
    def coherent(self, data, **kwargs):
        if data.get("min_value") is not None and data.get("max_value") is not None \
                and data["min_value"] > data["max_value"]:
            raise ValidationError("Le minimum dépasse le maximum.", "min_value")


class ProfileOutSchema(Schema):
    id = fields.Integer()
    structure_id = fields.Integer()
    name = fields.String()
    cpv_prefixes = fields.List(fields.String())
    keywords = fields.List(fields.String())
    departments = fields.List(fields.String())
    min_value = fields.Decimal(allow_none=True)
    max_value = fields.Decimal(allow_none=True)
    reserved_only = fields.Boolean()
    notice_kinds = fields.List(fields.String())
    clauses = fields.List(fields.String())
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    found = fields.Integer(metadata={"description": "à la création ou à la modification : le"
                                     " nombre d'appels d'offres ouverts du territoire trouvés"})
    feed_path = fields.String(metadata={"description": "son flux Atom privé, à l'adresse de la"
                                        " veille (/flux/<jeton signé>.atom)"})


class ProfileQuerySchema(Schema):
    structure_id = fields.Integer(load_default=None, validate=validate.Range(min=1))


class MatchQuerySchema(Schema):
    include_dismissed = fields.Boolean(load_default=False)


class ProfileRefSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class ScorePartSchema(Schema):
    part = fields.String()
    label = fields.String()
    points = fields.Float()
    max = fields.Float()
    detail = fields.String()


class MatchOutSchema(Schema):
    id = fields.Integer()
    tender_id = fields.Integer()
    profile_id = fields.Integer()
    profile_name = fields.String(allow_none=True)
    profiles = fields.List(fields.Nested(ProfileRefSchema))
    score = fields.Decimal()
    reasons = fields.List(fields.String())
    score_parts = fields.List(fields.Nested(ScorePartSchema))
    result = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    documents_url = fields.String(allow_none=True)
    lots = fields.List(fields.String())
    matched_at = fields.DateTime()
    title = fields.String()
    buyer_name = fields.String(allow_none=True)
    deadline = fields.DateTime(allow_none=True)
    renewal_expected_on = fields.Date(allow_none=True)
    dismissed_reason = fields.String(allow_none=True)


class DismissInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class QuarantineOutSchema(Schema):
    id = fields.Integer()
    origin = fields.String()
    reason = fields.String()
    excerpt = fields.String()
    created_at = fields.DateTime()


class CpvQuerySchema(Schema):
    prefix = fields.String(required=True, validate=CPV_PREFIX)


class CpvOutSchema(Schema):
    code = fields.String()
    label_fr = fields.String()
    parent = fields.String(allow_none=True)
