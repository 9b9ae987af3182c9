from marshmallow import Schema, fields, validate

from .tenders_schemas import STATES


class BuyerQuerySchema(Schema):
    q = fields.String(required=True, validate=validate.Length(min=2, max=200),
                      metadata={"description": "des mots du nom de l'acheteur"})


class BuyerRefSchema(Schema):
    key = fields.String(metadata={"description": "son SIRET, ou « nom: » et son nom replié"})
    name = fields.String(allow_none=True)
    siret = fields.String(allow_none=True)
    tenders = fields.Integer()


class MarketTenderSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    cpv_main = fields.String(allow_none=True)
    deadline = fields.DateTime(allow_none=True)
    closes_at = fields.DateTime(allow_none=True)
    state = fields.String(validate=validate.OneOf(STATES))
    result = fields.String(allow_none=True)
    estimated_amount = fields.Decimal(allow_none=True)
    currency = fields.String(allow_none=True)
    reserved = fields.List(fields.String())
    social_clause = fields.Boolean()
    insertion_clause = fields.Boolean()
    notice_type = fields.String()
    renewal_expected_on = fields.Date(allow_none=True)
    contract_end = fields.Date(allow_none=True)


class MarketAwardSchema(Schema):
    tender_id = fields.Integer()
    title = fields.String()
    buyer_name = fields.String(allow_none=True)
    buyer_key = fields.String(allow_none=True)
    lot = fields.String(allow_none=True)
    winner_name = fields.String(allow_none=True)
    winner_siret = fields.String(allow_none=True)
    amount = fields.Decimal(allow_none=True)
    currency = fields.String(allow_none=True)
    awarded_on = fields.Date(allow_none=True)
    contract_end = fields.Date(allow_none=True)
    cpv_main = fields.String(allow_none=True)


class BuyerPageSchema(Schema):
    key = fields.String()
    name = fields.String(allow_none=True)
    siret = fields.String(allow_none=True)
    tenders = fields.Integer()
    open_tenders = fields.List(fields.Nested(MarketTenderSchema))
    past_tenders = fields.List(fields.Nested(MarketTenderSchema))
    awards = fields.List(fields.Nested(MarketAwardSchema))
    awards_count = fields.Integer()
    awarded_amount = fields.Decimal(allow_none=True)
    renewals = fields.List(fields.Nested(MarketTenderSchema), metadata={
        "description": "ses marchés qui prennent fin dans les douze mois (avenants compris)"})
    lots = fields.Integer(metadata={"description": "ses lots (un marché sans lots compte pour un)"})
    reserved_lots = fields.Integer()
    social_clause_lots = fields.Integer(metadata={
        "description": "ses lots avec une clause sociale ou d'insertion"})
    insertion_clause_lots = fields.Integer()


class CompetitorSchema(Schema):
    winner_key = fields.String()
    name = fields.String(allow_none=True)
    siret = fields.String(allow_none=True)
    awards = fields.Integer()
    amount = fields.Decimal(allow_none=True)


class WinnerPageSchema(Schema):
    siret = fields.String()
    name = fields.String(allow_none=True)
    awards_count = fields.Integer()
    awarded_amount = fields.Decimal(allow_none=True)
    awards = fields.List(fields.Nested(MarketAwardSchema))
    cpv_classes = fields.List(fields.String())
    competitors = fields.List(fields.Nested(CompetitorSchema), metadata={
        "description": "qui d'autre remporte des marchés du territoire sur ces classes CPV"})
