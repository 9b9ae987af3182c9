from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from centrale.schemas import Department


class ImpactQuerySchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    departement = fields.List(
        Department(), load_default=list,
        validate=validate.Length(max=20),
        metadata={"description": "le territoire : les structures établies dans ces "
                                 "départements (répéter le paramètre) ; toutes sinon"})

    @validates_schema
    def end_after_start(self, data, **kwargs):
        if data["end"] < data["start"]:
            raise ValidationError("La fin de la période précède son début.", "end")

    @post_load
    def canonical_departements(self, data, **kwargs):
        data["departement"] = sorted(set(data["departement"]))
        return data


class ImpactPeriodSchema(Schema):
    start = fields.Date()
    end = fields.Date()


class HelpedSchema(Schema):
    total = fields.Integer()
    by_category = fields.Dict(keys=fields.String(), values=fields.Integer())


class MonthSchema(Schema):
    month = fields.Date(metadata={"description": "le premier jour du mois"})
    answers_submitted = fields.Integer()
    won = fields.Integer()
    amount_won = fields.Decimal()
    insertion_hours = fields.Decimal(metadata={"description": "heures d'insertion faites"})


class StructureFiguresSchema(Schema):
    structure_id = fields.Integer()
    name = fields.String()
    departement = fields.String()
    category = fields.String()
    helped = fields.Boolean(metadata={"description": "un dossier actif ou des heures "
                                                     "d'accompagnement dans la période"})
    active_cases = fields.Integer()
    answers_submitted = fields.Integer()
    won = fields.Integer()
    amount_won = fields.Decimal()
    coaching_hours = fields.Decimal()
    diagnoses = fields.Integer()
    insertion_hours = fields.Decimal(metadata={
        "description": "heures d'insertion faites sur les marchés qu'elle a gagnés"})


class ImpactSchema(Schema):
    period = fields.Nested(ImpactPeriodSchema)
    departements = fields.List(fields.String(), metadata={
        "description": "le territoire demandé (vide : toutes les structures)"})
    structures_helped = fields.Nested(HelpedSchema)
    cases_by_stage = fields.Dict(keys=fields.String(), values=fields.Integer())
    answers_submitted = fields.Integer()
    won = fields.Integer()
    lost = fields.Integer()
    win_rate = fields.Decimal(allow_none=True,
                              metadata={"description": "gagnés / (gagnés + perdus), de 0 à 1"})
    amount_won = fields.Decimal()
    coaching_hours = fields.Decimal()
    consortia_formed = fields.Integer()
    diagnoses = fields.Integer(metadata={
        "description": "dossiers dont le diagnostic a été fait dans la période"})
    insertion_hours = fields.Decimal(metadata={
        "description": "heures d'insertion faites sur les marchés à clause sociale suivis par"
                       " le facilitateur (saisies par mois ; un mois compte dans toute période"
                       " qui le touche ; le territoire est celui de l'appel d'offres)"})
    by_month = fields.List(fields.Nested(MonthSchema))
    by_structure = fields.List(fields.Nested(StructureFiguresSchema), metadata={
        "description": "chaque structure du territoire, ses chiffres de la période"})
