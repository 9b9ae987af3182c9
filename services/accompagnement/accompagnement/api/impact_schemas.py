from marshmallow import Schema, ValidationError, fields, validates_schema


class ImpactQuerySchema(Schema):
    start = fields.Date(required=True)
    end = fields.Date(required=True)

    @validates_schema
    def end_after_start(self, data, **kwargs):
        if data["end"] < data["start"]:
            raise ValidationError("La fin de la période précède son début.", "end")


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


class ImpactSchema(Schema):
    period = fields.Nested(ImpactPeriodSchema)
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
    by_month = fields.List(fields.Nested(MonthSchema))
