from marshmallow import Schema, ValidationError, fields, validates_schema


class FiguresQuerySchema(Schema):
    start = fields.Date(required=True, metadata={"description": "Premier jour (AAAA-MM-JJ)."})
    end = fields.Date(required=True, metadata={"description": "Dernier jour, inclus."})
    structure_id = fields.Integer(load_default=None)

    @validates_schema
    def ordered(self, data, **kwargs):
        if "start" in data and "end" in data:
            if data["end"] < data["start"]:
                raise ValidationError("La fin de la période doit suivre son début.", "end")
            if (data["end"] - data["start"]).days > 3660:
                raise ValidationError("Période de dix ans au plus.", "end")


class FiguresSchema(Schema):
    sessions_held = fields.Integer()
    sessions_cancelled = fields.Integer()
    participants = fields.Integer(metadata={"description": "Inscriptions confirmées."})
    attendance_recorded = fields.Integer()
    people_present = fields.Integer()
    structures_trained = fields.Integer()
    training_hours = fields.Decimal(metadata={
        "description": "Heures de formation délivrées : heures de présence × personnes."})
    attendance_rate = fields.Decimal(allow_none=True, metadata={
        "description": "Présents / présences enregistrées (0 à 1)."})
    satisfaction_mean = fields.Decimal(allow_none=True)
    satisfaction_answers = fields.Integer()
    satisfaction_points = fields.Integer(metadata={
        "description": "Somme des notes (1 à 5) : la moyenne de plusieurs structures est "
                       "la somme de leurs points sur la somme de leurs réponses."})


class BreakdownSchema(Schema):
    key = fields.String()
    label = fields.String()
    figures = fields.Nested(FiguresSchema)


class ReportSchema(Schema):
    start = fields.Date()
    end = fields.Date()
    structure_id = fields.Integer(allow_none=True)
    total = fields.Nested(FiguresSchema)
    by_month = fields.List(fields.Nested(BreakdownSchema))
    by_module = fields.List(fields.Nested(BreakdownSchema))
    by_structure = fields.List(fields.Nested(BreakdownSchema), metadata={
        "description": "Par structure (key : son identifiant), ses seules personnes."})
