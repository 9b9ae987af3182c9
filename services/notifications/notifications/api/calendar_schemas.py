from marshmallow import Schema, fields


class CalendarLinkSchema(Schema):
    structure_id = fields.Integer()
    url = fields.String(metadata={"description": "Adresse secrète du calendrier (.ics) : "
                                                 "à ajouter dans un agenda, à ne pas diffuser."})
