"""A buyer's need in and out, the advisor's review, the structures' answers, the outcome."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from centrale.french import label
from centrale.schemas import ONE_LINE, PLAIN, Amount, Department, Hours

from ..domain import needs
from .tenders_schemas import CPV_PREFIX


class NeedLotSchema(Schema):
    title = fields.String(required=True, validate=[validate.Length(min=2, max=300), ONE_LINE])
    cpv = fields.String(load_default=None, allow_none=True, validate=CPV_PREFIX)


class NeedInSchema(Schema):
    """What a buyer posts: the organisation comes from its account (filled by the portail)."""

    buyer_name = fields.String(required=True, validate=[validate.Length(min=2, max=300),
                                                         ONE_LINE])
    buyer_siret = fields.String(load_default=None, allow_none=True,
                                validate=validate.Regexp(r"^\d{14}$", error="SIRET à 14 chiffres."))
    buyer_kind = fields.String(required=True, validate=validate.OneOf(needs.BUYER_KINDS))
    buyer_contact = fields.String(required=True, validate=[validate.Length(min=2, max=200),
                                                            ONE_LINE])
    object = fields.String(required=True, validate=[validate.Length(min=5, max=300), ONE_LINE])
    description = fields.String(required=True, validate=[validate.Length(min=10, max=10000),
                                                          PLAIN])
    cpv_codes = fields.List(fields.String(validate=CPV_PREFIX), load_default=list,
                            validate=validate.Length(max=10))
    departement = Department(required=True)
    place = fields.String(load_default="", validate=[validate.Length(max=300), ONE_LINE])
    lots = fields.List(fields.Nested(NeedLotSchema), load_default=list,
                       validate=validate.Length(max=needs.MAX_LOTS))
    deadline = fields.AwareDateTime(required=True, format="iso")
    budget_band = fields.String(required=True, validate=validate.OneOf(needs.BUDGET_BANDS))
    reservation = fields.String(load_default="none", validate=validate.OneOf(needs.RESERVATIONS))
    social_clause = fields.Boolean(load_default=False)
    insertion_hours = Hours(1_000_000, load_default=None, allow_none=True)


class NeedQuerySchema(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(needs.STATUSES))


class AttachmentOutSchema(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    created_at = fields.DateTime()


class NeedOutSchema(Schema):
    id = fields.Integer()
    owner = fields.String()
    buyer_name = fields.String()
    buyer_siret = fields.String(allow_none=True)
    buyer_kind = fields.String()
    buyer_kind_label = fields.Function(lambda n: label("buyer_kind", n["buyer_kind"]))
    buyer_contact = fields.String()
    buyer_email = fields.String()
    object = fields.String()
    description = fields.String()
    cpv_codes = fields.List(fields.String())
    departement = fields.String()
    place = fields.String()
    lots = fields.List(fields.Dict())
    deadline = fields.DateTime()
    budget_band = fields.String()
    budget_label = fields.Function(lambda n: label("budget_band", n["budget_band"]))
    reservation = fields.String()
    reservation_label = fields.Function(lambda n: label("need_reservation", n["reservation"]))
    social_clause = fields.Boolean()
    insertion_hours = Hours(1_000_000, allow_none=True)
    status = fields.String()
    status_label = fields.Function(lambda n: label("need_status", n["status"]))
    return_reason = fields.String(allow_none=True)
    reviewed_at = fields.DateTime(allow_none=True)
    tender_id = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
    answers = fields.Integer()
    attachments = fields.List(fields.Nested(AttachmentOutSchema))


class ReviewInSchema(Schema):
    decision = fields.String(required=True, validate=validate.OneOf(("validate", "return")))
    reason = fields.String(load_default=None, allow_none=True,
                           validate=[validate.Length(max=2000), PLAIN])

    @validates_schema
    def a_return_says_why(self, data, **kwargs):
        if data["decision"] == "return" and not (data.get("reason") or "").strip():
            raise ValidationError("Dites à l'acheteur ce qu'il doit revoir.", "reason")


class FileSchema(Schema):
    file = fields.Raw(load_default=None, metadata={"type": "string", "format": "binary"})


class AnswerFormSchema(Schema):
    """Sent as multipart/form-data: the message, and a quote file if any."""

    message = fields.String(required=True, validate=[validate.Length(min=5, max=5000), PLAIN])


class AnswerOutSchema(Schema):
    id = fields.Integer()
    need_id = fields.Integer()
    need_object = fields.String()
    buyer_name = fields.String()
    tender_id = fields.Integer(allow_none=True)
    structure_id = fields.Integer()
    structure_name = fields.String()
    message = fields.String()
    contact_email = fields.String(allow_none=True, metadata={
        "description": "l'adresse de qui a répondu, pour que l'acheteur lui écrive"})
    quote_filename = fields.String(allow_none=True)
    has_quote = fields.Boolean()
    case_id = fields.Integer(allow_none=True)
    outcome = fields.String(allow_none=True)
    amount = Amount(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class AnswerQuerySchema(Schema):
    structure_id = fields.Integer(load_default=None)


class ChoiceSchema(Schema):
    structure_id = fields.Integer(required=True)
    amount = Amount(load_default=None, allow_none=True)


class OutcomeInSchema(Schema):
    """Whom the buyer chose (with the amount); every other answer is « not chosen ». An empty
    list: nobody was chosen."""

    chosen = fields.List(fields.Nested(ChoiceSchema), required=True,
                         validate=validate.Length(max=50))


class CaseLinkInSchema(Schema):
    case_id = fields.Integer(required=True, validate=validate.Range(min=1))


class SuggestQuerySchema(Schema):
    text = fields.String(required=True, validate=validate.Length(min=1, max=10000))


class SuggestionSchema(Schema):
    code = fields.String()
    label = fields.String()


class FiguresQuerySchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    departement = fields.List(
        Department(), load_default=list, validate=validate.Length(max=20), metadata={
            "description": "les besoins déposés dans ces départements (répéter le paramètre) ; "
                           "les réponses et marchés restent donnés par structure"})

    @validates_schema
    def in_order(self, data, **kwargs):
        if data["end"] < data["start"]:
            raise ValidationError("La fin de la période précède son début.", "end")


class StructureNeedFiguresSchema(Schema):
    structure_id = fields.Integer()
    answers = fields.Integer()
    won = fields.Integer()
    not_chosen = fields.Integer()
    amount_won = Amount(metadata={"description": "euros HT"})


class FiguresSchema(Schema):
    start = fields.Date()
    end = fields.Date()
    posted = fields.Integer(metadata={"description": "besoins déposés"})
    published = fields.Integer(metadata={"description": "dont validés et publiés"})
    private = fields.Integer(metadata={"description": "dont par des acheteurs privés"})
    answers = fields.Integer(metadata={"description": "réponses « intéressé » envoyées"})
    structures = fields.Integer(metadata={"description": "structures qui ont répondu"})
    won = fields.Integer(metadata={"description": "structures retenues (par date du résultat)"})
    not_chosen = fields.Integer()
    amount_won = Amount(metadata={"description": "euros HT"})
    departements = fields.List(fields.String(), metadata={
        "description": "le territoire des besoins déposés (vide : tous)"})
    by_structure = fields.List(fields.Nested(StructureNeedFiguresSchema), metadata={
        "description": "réponses (par leur date) et résultats (par la date où l'acheteur les "
                       "a notés) de chaque structure, sur tous les besoins"})
