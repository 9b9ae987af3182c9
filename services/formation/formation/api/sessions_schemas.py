from datetime import datetime, timezone

from marshmallow import (Schema, ValidationError, fields, post_load, validate, validates,
                         validates_schema)

VIDEO_PLACE = "À distance (visioconférence)"


class ModuleSchema(Schema):
    code = fields.String(required=True, validate=validate.Regexp(
        r"^[a-z0-9-]{2,60}$", error="Code en minuscules, chiffres et tirets."))
    title = fields.String(required=True, validate=validate.Length(min=3, max=300))
    objectives = fields.String(load_default="", validate=validate.Length(max=5000))
    duration_h = fields.Decimal(required=True, places=2,
                                validate=validate.Range(min=0.25, max=200))


class _DatesSchema(Schema):
    """A start in the future and an end after it."""

    not_in_the_future = "La session doit commencer dans le futur."
    starts_at = fields.AwareDateTime(required=True, format="iso")
    ends_at = fields.AwareDateTime(required=True, format="iso")

    @validates("starts_at")
    def in_the_future(self, value, **kwargs):
        if value <= datetime.now(timezone.utc):
            raise ValidationError(self.not_in_the_future)

    @validates_schema
    def end_after_start(self, data, **kwargs):
        if "starts_at" in data and "ends_at" in data and data["ends_at"] <= data["starts_at"]:
            raise ValidationError("La fin doit suivre le début.", "ends_at")


class SessionInSchema(_DatesSchema):
    module_code = fields.String(required=True)
    place = fields.String(load_default=None, validate=validate.Length(min=2, max=500),
                          metadata={"description": "Adresse ; facultatif pour une session "
                                                   "en visioconférence."})
    video_url = fields.URL(load_default=None, schemes={"http", "https"},
                           validate=validate.Length(max=1000),
                           metadata={"description": "Lien de visioconférence."})
    trainer = fields.String(required=True, validate=validate.Length(min=2, max=200))
    capacity = fields.Integer(required=True, validate=validate.Range(min=1, max=500))
    registration_close_hours = fields.Decimal(
        load_default=None, places=2, validate=validate.Range(min=0, max=720),
        metadata={"description": "Clôture des inscriptions, en heures avant le début "
                                 "(par défaut CENTRALE_FORMATION_CLOSE_HOURS, 24)."})

    @validates_schema
    def somewhere(self, data, **kwargs):
        if not data.get("place") and not data.get("video_url"):
            raise ValidationError("Indiquez un lieu ou un lien de visioconférence.", "place")

    @post_load
    def default_place(self, data, **kwargs):
        return {**data, "place": data.get("place") or VIDEO_PLACE}


class SessionOutSchema(Schema):
    id = fields.Integer()
    module_code = fields.String()
    module_title = fields.String()
    objectives = fields.String()
    duration_h = fields.Decimal()
    starts_at = fields.DateTime()
    ends_at = fields.DateTime()
    place = fields.String()
    video_url = fields.String(allow_none=True)
    trainer = fields.String()
    capacity = fields.Integer()
    status = fields.String(metadata={"description": "scheduled, cancelled ou held"})
    cancel_reason = fields.String(allow_none=True)
    workflow_id = fields.String()
    confirmed_count = fields.Integer()
    waitlisted_count = fields.Integer()
    seats_left = fields.Integer()
    registration_close_hours = fields.Decimal()
    registrations_close_at = fields.DateTime()
    registrations_open = fields.Boolean()
    invitation_path = fields.String()
    revision = fields.Integer(metadata={"description": "Nombre de déplacements de la session."})


class RescheduleInSchema(_DatesSchema):
    not_in_the_future = "La nouvelle date de début doit être dans le futur."
    reason = fields.String(load_default=None, validate=validate.Length(min=3, max=1000),
                           metadata={"description": "Dit aux inscrits avec les nouvelles "
                                                    "dates."})


class SessionMoveSchema(Schema):
    from_starts_at = fields.DateTime()
    from_ends_at = fields.DateTime()
    to_starts_at = fields.DateTime()
    to_ends_at = fields.DateTime()
    reason = fields.String(allow_none=True)
    moved_by = fields.String()
    moved_at = fields.DateTime()


class CancelInSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(min=3, max=1000))


class SessionQuerySchema(Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
    module_code = fields.String(load_default=None)
    upcoming = fields.Boolean(load_default=False)
    started = fields.Boolean(load_default=False, metadata={
        "description": "les sessions commencées, les plus récentes d'abord (feuilles de présence)"})
    status = fields.String(load_default=None,
                           validate=validate.OneOf(["scheduled", "cancelled", "held"]))



class AttendanceLineSchema(Schema):
    registration_id = fields.Integer(required=True)
    attended = fields.Boolean(required=True)
    hours = fields.Decimal(load_default=None, places=2, validate=validate.Range(min=0, max=200),
                           metadata={"description": "Heures de présence, si moins que la "
                                                    "durée du module."})


class AttendanceInSchema(Schema):
    attendance = fields.List(fields.Nested(AttendanceLineSchema), required=True,
                             validate=validate.Length(min=1, max=500))
