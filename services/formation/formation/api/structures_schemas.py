from marshmallow import Schema, fields

from .sessions_schemas import SessionOutSchema


class RecommendedModuleSchema(Schema):
    code = fields.String()
    title = fields.String()
    objectives = fields.String()
    duration_h = fields.Decimal()
    recommended_at = fields.DateTime()
    case_ids = fields.List(fields.Integer())
    people_trained = fields.Integer(metadata={"description": "Personnes de la structure déjà "
                                                             "formées à ce module."})
    sessions = fields.List(fields.Nested(SessionOutSchema),
                           metadata={"description": "Les sessions à venir de ce module."})


class RecommendationsSchema(Schema):
    structure_id = fields.Integer()
    modules = fields.List(fields.Nested(RecommendedModuleSchema))
