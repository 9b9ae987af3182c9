from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from centrale.french import label
from centrale.schemas import AMOUNT_MAX, Amount, Department

CPV = validate.Regexp(r"^\d{8}$", error="Code CPV à 8 chiffres attendu (sans chiffre de contrôle).")
CPV_PREFIX = validate.Regexp(r"^\d{2,8}$", error="Préfixe CPV de 2 à 8 chiffres attendu.")
DEPARTMENT = validate.Regexp(r"^(\d{2}|2[AB]|97\d)$", error="Code de département invalide.")


SOURCES = ("boamp", "ted", "decp", "manuel")
NOTICE_TYPES = ("contract", "prior_information", "award", "corrigendum", "other")
RESERVATIONS = ("sheltered_workshop", "insertion", "ess", "public_service_mission")
SORTS = ("deadline", "-deadline", "-updated", "relevance")
RESULTS = ("awarded", "unsuccessful", "cancelled")
STATES = ("open", "closed", "awarded", "unsuccessful", "cancelled")
CLAUSES = ("social", "insertion")


class MoneySchema(Schema):
    # A float, as the normalisers give it (the import workflow carries it as JSON).
    amount = fields.Float(required=True, allow_nan=False,
                          validate=validate.Range(min=0, max=AMOUNT_MAX))
    currency = fields.String(load_default="EUR", validate=validate.Regexp(r"^[A-Z]{3}$"))


class BuyerSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    siret = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\d{14}$", error="SIRET à 14 chiffres."))
    nuts = fields.String(load_default=None, allow_none=True)


class PlaceSchema(Schema):
    nuts = fields.List(fields.String(validate=validate.Length(max=10)), load_default=list)
    departments = fields.List(fields.String(validate=DEPARTMENT), load_default=list)


class LotInSchema(Schema):
    id = fields.String(required=True, validate=validate.Length(min=1, max=30))
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))
    cpv_main = fields.String(load_default=None, allow_none=True, validate=CPV)
    estimated_value = fields.Nested(MoneySchema, load_default=None, allow_none=True)
    deadline = fields.AwareDateTime(load_default=None, allow_none=True, format="iso")
    reserved = fields.List(fields.String(validate=validate.OneOf(RESERVATIONS)), load_default=list)
    result = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(RESULTS))
    social_clause = fields.Boolean(load_default=False)
    insertion_clause = fields.Boolean(load_default=False)
    insertion_hours = fields.Float(load_default=None, allow_none=True, allow_nan=False,
                                   validate=validate.Range(min=0, max=1_000_000))


class WinnerSchema(Schema):
    name = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=300))
    siret = fields.String(load_default=None, allow_none=True,
                          validate=validate.Regexp(r"^\d{14}$", error="SIRET à 14 chiffres."))


class AwardInSchema(Schema):
    lot = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=30))
    winner = fields.Nested(WinnerSchema, required=True)
    amount = fields.Nested(MoneySchema, load_default=None, allow_none=True)
    date = fields.Date(load_default=None, allow_none=True)


class TenderInSchema(Schema):
    """A notice typed by hand or sent by another service, in the normaliser's shape."""

    source = fields.String(required=True, validate=validate.OneOf(SOURCES))
    source_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    procedure_id = fields.String(load_default=None, allow_none=True)
    notice_type = fields.String(load_default="contract", validate=validate.OneOf(NOTICE_TYPES))
    title = fields.String(required=True, validate=validate.Length(min=3, max=1000))
    description = fields.String(load_default="", validate=validate.Length(max=20000))
    buyer = fields.Nested(BuyerSchema, required=True)
    cpv_main = fields.String(load_default=None, allow_none=True, validate=CPV)
    cpv_additional = fields.List(fields.String(validate=CPV), load_default=list)
    place = fields.Nested(PlaceSchema, load_default=dict)
    estimated_value = fields.Nested(MoneySchema, load_default=None, allow_none=True)
    deadline = fields.AwareDateTime(load_default=None, allow_none=True, format="iso")
    procedure_type = fields.String(load_default=None, allow_none=True)
    reserved = fields.List(fields.String(validate=validate.OneOf(RESERVATIONS)), load_default=list)
    social_criteria = fields.Boolean(load_default=False)
    lots = fields.List(fields.Nested(LotInSchema), load_default=list,
                       validate=validate.Length(max=200))
    url = fields.URL(load_default=None, allow_none=True)
    documents_url = fields.URL(load_default=None, allow_none=True)
    language = fields.String(load_default="fr", validate=validate.Length(max=5))
    awards = fields.List(fields.Nested(AwardInSchema), load_default=list,
                         validate=validate.Length(max=500))
    cancelled = fields.Boolean(load_default=False)
    result = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(RESULTS))
    social_clause = fields.Boolean(load_default=False)
    insertion_clause = fields.Boolean(load_default=False)


class TenderQuerySchema(Schema):
    q = fields.String(load_default=None, validate=validate.Length(max=200))
    cpv = fields.List(fields.String(validate=CPV_PREFIX), load_default=None)
    department = fields.List(Department(), load_default=None)
    deadline_from = fields.AwareDateTime(load_default=None, format="iso")
    deadline_to = fields.AwareDateTime(load_default=None, format="iso")
    reserved = fields.Boolean(load_default=None)
    reservation = fields.String(load_default=None, validate=validate.OneOf(RESERVATIONS))
    min_value = Amount(load_default=None)
    max_value = Amount(load_default=None)
    status = fields.String(load_default="all", validate=validate.OneOf(STATES + ("all",)),
                           metadata={"description": "open : une réponse est encore possible ;"
                                     " closed : date limite passée ; awarded, unsuccessful"
                                     " (infructueux), cancelled (sans suite)"})
    buyer = fields.String(load_default=None, validate=validate.Length(min=2, max=200),
                          metadata={"description": "SIRET de l'acheteur, ou mots de son nom"})
    clause = fields.String(load_default=None, validate=validate.OneOf(CLAUSES),
                           metadata={"description": "social : clause sociale ou d'insertion ;"
                                     " insertion : clause d'insertion"})
    in_territory = fields.Boolean(load_default=None)
    renewal = fields.Boolean(load_default=None)
    notice_type = fields.String(load_default=None, validate=validate.OneOf(NOTICE_TYPES))
    sort = fields.String(load_default=None, validate=validate.OneOf(SORTS))

    @validates_schema
    def ranges_in_order(self, data, **kwargs):
        if data.get("min_value") is not None and data.get("max_value") is not None \
                and data["min_value"] > data["max_value"]:
            raise ValidationError("Le minimum dépasse le maximum.", "min_value")
        if data.get("deadline_from") and data.get("deadline_to") \
                and data["deadline_from"] > data["deadline_to"]:
            raise ValidationError("La date de début suit la date de fin.", "deadline_from")


class TenderListItemSchema(Schema):
    id = fields.Integer()
    title = fields.String()
    buyer_name = fields.String(allow_none=True)
    buyer_siret = fields.String(allow_none=True)
    closes_at = fields.DateTime(allow_none=True, metadata={
        "description": "la dernière date limite de ses lots encore ouverts"})
    state = fields.String(validate=validate.OneOf(STATES))
    result = fields.String(allow_none=True)
    social_clause = fields.Boolean()
    insertion_clause = fields.Boolean()
    url = fields.String(allow_none=True, metadata={"description": "l'avis officiel"})
    documents_url = fields.String(allow_none=True, metadata={
        "description": "le dossier de consultation (DCE) ou le profil d'acheteur"})
    cpv_main = fields.String(allow_none=True)
    departments = fields.List(fields.String())
    estimated_amount = fields.Decimal(allow_none=True)
    currency = fields.String(allow_none=True)
    deadline = fields.DateTime(allow_none=True)
    procedure_type = fields.String(allow_none=True)
    notice_type = fields.String()
    reserved = fields.List(fields.String())
    social_criteria = fields.Boolean()
    in_territory = fields.Boolean()
    renewal_expected_on = fields.Date(allow_none=True)
    lot_count = fields.Integer()
    version = fields.Integer()
    updated_at = fields.DateTime()
    origin = fields.String(allow_none=True, metadata={
        "description": "la source de son premier avis (boamp, ted, decp, centrale…)"})
    origin_label = fields.Function(lambda t: label("tender_origin", t.get("origin"))
                                   if t.get("origin") else None)


class LotOutSchema(Schema):
    id = fields.String()
    title = fields.String(allow_none=True)
    cpv_main = fields.String(allow_none=True)
    estimated_amount = fields.Decimal(allow_none=True)
    deadline = fields.DateTime(allow_none=True)
    reserved = fields.List(fields.String())
    state = fields.String(validate=validate.OneOf(STATES))
    result = fields.String(allow_none=True)
    social_clause = fields.Boolean()
    insertion_clause = fields.Boolean()
    insertion_hours = fields.Decimal(allow_none=True)


class AwardOutSchema(Schema):
    lot = fields.String(allow_none=True)
    winner_name = fields.String(allow_none=True)
    winner_siret = fields.String(allow_none=True)
    amount = fields.Decimal(allow_none=True)
    currency = fields.String(allow_none=True)
    awarded_on = fields.Date(allow_none=True)
    contract_end = fields.Date(allow_none=True)
    source = fields.String()
    source_id = fields.String()


class NoticeRefSchema(Schema):
    source = fields.String()
    source_id = fields.String()
    notice_type = fields.String()
    received_at = fields.DateTime()


class VersionSchema(Schema):
    version = fields.Integer()
    source = fields.String()
    source_id = fields.String()
    changes = fields.Dict()
    recorded_at = fields.DateTime()


class TenderDetailSchema(TenderListItemSchema):
    procedure_key = fields.String()
    buyer_key = fields.String(allow_none=True, metadata={
        "description": "la clé de sa page d'acheteur (GET /api/buyers/<buyer_key>)"})
    description = fields.String()
    buyer_siret = fields.String(allow_none=True)
    cpv_codes = fields.List(fields.String())
    language = fields.String(allow_none=True)
    result_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    lots = fields.List(fields.Nested(LotOutSchema))
    awards = fields.List(fields.Nested(AwardOutSchema))
    notices = fields.List(fields.Nested(NoticeRefSchema))
    versions = fields.List(fields.Nested(VersionSchema))
    need_id = fields.Integer(allow_none=True, metadata={
        "description": "le besoin d'acheteur qu'il publie (source centrale), auquel répondre"
                       " par POST /api/needs/<need_id>/answers"})


class ClauseLotQuerySchema(Schema):
    clause = fields.String(load_default=None, validate=validate.OneOf(CLAUSES),
                           metadata={"description": "social (par défaut) : clause sociale ou"
                                     " d'insertion ; insertion : clause d'insertion"})
    status = fields.String(load_default="all", validate=validate.OneOf(STATES + ("all",)),
                           metadata={"description": "l'état du lot"})


class ClauseWinnerSchema(Schema):
    winner_name = fields.String(allow_none=True)
    winner_siret = fields.String(allow_none=True)


class ClauseLotSchema(Schema):
    tender_id = fields.Integer()
    lot_id = fields.String(allow_none=True, metadata={"description": "null : le marché entier"})
    lot_title = fields.String(allow_none=True)
    title = fields.String()
    buyer_name = fields.String(allow_none=True)
    buyer_key = fields.String(allow_none=True)
    cpv_main = fields.String(allow_none=True)
    social_clause = fields.Boolean()
    insertion_clause = fields.Boolean()
    insertion_hours = fields.Decimal(allow_none=True, metadata={
        "description": "les heures d'insertion que l'avis demande, quand il le dit"})
    deadline = fields.DateTime(allow_none=True)
    state = fields.String(validate=validate.OneOf(STATES))
    result = fields.String(allow_none=True)
    winners = fields.List(fields.Nested(ClauseWinnerSchema))


class ImportInSchema(Schema):
    notices = fields.List(fields.Nested(TenderInSchema), required=True,
                          validate=validate.Length(min=1, max=500))


class WorkflowRefSchema(Schema):
    workflow_id = fields.String()
    status = fields.String()
    result = fields.Dict(allow_none=True)
