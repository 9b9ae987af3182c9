"""The facilitator's notes on tenders, the contracts with a clause it follows, their monthly
insertion hours: hours are JSON numbers, in and out (``centrale.schemas.Hours``)."""

from marshmallow import Schema, fields, validate

from centrale.schemas import ONE_LINE, PLAIN, Hours

HOURS_MAX = 1_000_000  # a contract of several years holds tens of thousands of hours at most
CPV = validate.Regexp(r"^\d{2,8}$", error="Code CPV (ou préfixe) de 2 à 8 chiffres attendu.")


class ClauseNoteInSchema(Schema):
    hours_required = Hours(HOURS_MAX, load_default=None, allow_none=True, metadata={
        "description": "les heures d'insertion que l'acheteur demande"})
    buyer_contact = fields.String(load_default="", validate=[validate.Length(max=300), ONE_LINE],
                                  metadata={"description": "qui appeler chez l'acheteur"})
    note = fields.String(load_default="", validate=[validate.Length(max=3000), PLAIN])


class ClauseNoteSchema(Schema):
    tender_id = fields.Integer()
    hours_required = Hours(HOURS_MAX, allow_none=True)
    buyer_contact = fields.String()
    note = fields.String()
    updated_by = fields.String()
    updated_at = fields.DateTime()


class ClauseNotesQuerySchema(Schema):
    tender_id = fields.List(fields.Integer(validate=validate.Range(min=1)),
                            validate=validate.Length(min=1, max=100), required=True,
                            metadata={"description": "les appels d'offres dont lire la note"})


class ClauseContractInSchema(Schema):
    """What the facilitator follows: an awarded lot (or tender) with a clause, its winner as
    veille's awards name it; the CPV codes its subcontractors are sought by (the tender's or
    the lot's from accompagnement's copy of veille's tenders when none is given)."""

    tender_id = fields.Integer(required=True, validate=validate.Range(min=1))
    lot_id = fields.String(load_default=None, allow_none=True,
                           validate=[validate.Length(min=1, max=30), ONE_LINE])
    title = fields.String(required=True, validate=[validate.Length(min=3, max=500), ONE_LINE])
    buyer_name = fields.String(load_default=None, allow_none=True,
                               validate=[validate.Length(max=300), ONE_LINE])
    winner_name = fields.String(required=True, validate=[validate.Length(min=2, max=300),
                                                         ONE_LINE])
    winner_siret = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Regexp(r"^\d{14}$", error="SIRET à 14 chiffres."))
    cpv_codes = fields.List(fields.String(validate=CPV), load_default=list,
                            validate=validate.Length(max=20))
    hours_required = Hours(HOURS_MAX, load_default=None, allow_none=True)


class ClauseMonthSchema(Schema):
    month = fields.Date(metadata={"description": "le premier jour du mois"})
    hours = Hours(HOURS_MAX)
    entered_by = fields.String()
    entered_at = fields.DateTime()


class ClauseContractSchema(Schema):
    id = fields.Integer()
    tender_id = fields.Integer()
    lot_id = fields.String(allow_none=True)
    title = fields.String()
    buyer_name = fields.String(allow_none=True)
    winner_name = fields.String()
    winner_siret = fields.String(allow_none=True)
    cpv_codes = fields.List(fields.String())
    hours_required = Hours(HOURS_MAX, allow_none=True)
    hours_done = fields.Decimal(places=2, metadata={"description": "la somme des mois saisis"})
    months = fields.List(fields.Nested(ClauseMonthSchema))
    structures_told = fields.Integer(metadata={
        "description": "les structures d'insertion prévenues qu'elles pourraient sous-traiter"})
    created_by = fields.String()
    created_at = fields.DateTime()


class ClauseContractQuerySchema(Schema):
    tender_id = fields.List(fields.Integer(validate=validate.Range(min=1)), load_default=None,
                            validate=validate.Length(max=100),
                            metadata={"description": "ceux de ces appels d'offres seulement"})


class ClauseHoursInSchema(Schema):
    month = fields.Date(required=True, metadata={"description": "n'importe quel jour du mois"})
    hours = Hours(HOURS_MAX, required=True)

