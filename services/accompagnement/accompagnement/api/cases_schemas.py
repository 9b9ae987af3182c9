from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from centrale.schemas import Amount

from ..domain.stages import Stage, allowed_targets

STAGES = [stage.value for stage in Stage]


class CaseInSchema(Schema):
    """A case answers a mirrored tender (tender_id) or a private buyer's request for a quote
    (buyer_name and deadline given by hand)."""

    structure_id = fields.Integer(required=True, validate=validate.Range(min=1))
    tender_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    lot_numbers = fields.List(fields.String(validate=validate.Length(min=1, max=50)),
                              load_default=list)
    title = fields.String(load_default=None, validate=validate.Length(min=3, max=500))
    buyer_name = fields.String(load_default=None, validate=validate.Length(min=2, max=300))
    deadline = fields.AwareDateTime(load_default=None, format="iso")
    advisor_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(min=1))
    reminder_days = fields.List(fields.Integer(validate=validate.Range(min=1, max=120)),
                                validate=validate.Length(min=1, max=10), load_default=None,
                                allow_none=True)
    min_headcount = fields.Integer(load_default=None, allow_none=True,
                                   validate=validate.Range(min=0))
    min_annual_turnover = Amount(load_default=None, allow_none=True)

    @validates_schema
    def tender_or_private_request(self, data, **kwargs):
        if data.get("tender_id") is not None:
            errors = {}
            if data.get("buyer_name") is not None:
                errors["buyer_name"] = ["L'acheteur d'une consultation vient de la veille."]
            if data.get("deadline") is not None:
                errors["deadline"] = ["La date limite d'une consultation vient de la veille."]
            if errors:
                raise ValidationError(errors)
            return
        errors = {}
        for name, label in (("buyer_name", "le nom de l'acheteur"),
                            ("deadline", "la date limite"), ("title", "l'objet de la demande")):
            if data.get(name) is None:
                errors[name] = [f"Sans consultation (tender_id), une demande de devis précise "
                                f"{label}."]
        if data.get("lot_numbers"):
            errors["lot_numbers"] = ["Une demande de devis n'a pas de lots."]
        if errors:
            raise ValidationError(errors)


class CasePatchSchema(Schema):
    title = fields.String(validate=validate.Length(min=3, max=500))
    deadline = fields.AwareDateTime(format="iso")  # requests for a quote only
    reminder_days = fields.List(fields.Integer(validate=validate.Range(min=1, max=120)),
                                validate=validate.Length(min=1, max=10), allow_none=True)
    lot_numbers = fields.List(fields.String(validate=validate.Length(min=1, max=50)))
    min_headcount = fields.Integer(allow_none=True, validate=validate.Range(min=0))
    min_annual_turnover = Amount(allow_none=True)


class AdvisorAssignmentSchema(Schema):
    advisor_id = fields.Integer(required=True, allow_none=True, validate=validate.Range(min=1))


class CaseOutSchema(Schema):
    id = fields.Integer()
    structure_id = fields.Integer()
    structure_name = fields.String(allow_none=True)
    tender_id = fields.Integer(allow_none=True)
    kind = fields.String()
    title = fields.String()
    buyer_name = fields.Method("buyer")
    deadline = fields.DateTime(allow_none=True)
    lot_numbers = fields.List(fields.String())
    stage = fields.String()
    stage_label = fields.Method("label")
    advisor = fields.Method("advisor_of")
    reminder_days = fields.List(fields.Integer(), allow_none=True)
    min_headcount = fields.Integer(allow_none=True)
    min_annual_turnover = fields.Decimal(allow_none=True)
    workflow_id = fields.String()
    opened_by = fields.String()
    opened_at = fields.DateTime()
    updated_at = fields.DateTime()
    submitted_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    outcome_amount = fields.Decimal(allow_none=True)
    buyer_feedback = fields.String(allow_none=True)
    consortium_formed_at = fields.DateTime(allow_none=True)
    next_stages = fields.Method("allowed", metadata={
        "type": "array", "description": "les étapes où le dossier peut aller (code, libellé)"})

    def allowed(self, case):
        return [{"stage": stage.value, "label": stage.label}
                for stage in allowed_targets(Stage(case["stage"]))]

    def label(self, case):
        return Stage(case["stage"]).label

    def buyer(self, case):
        return case.get("buyer_name") or case.get("tender_buyer_name")

    def advisor_of(self, case):
        if case.get("advisor_id") is None:
            return None
        return {"id": case["advisor_id"], "name": case["advisor_name"],
                "email": case["advisor_email"]}


class CaseQuerySchema(Schema):
    structure_id = fields.Integer(load_default=None, validate=validate.Range(min=1))
    stage = fields.String(load_default=None, validate=validate.OneOf(STAGES))
    advisor_id = fields.Integer(load_default=None, validate=validate.Range(min=1))
    unassigned = fields.Boolean(load_default=False,
                                metadata={"description": "seulement les dossiers sans conseiller"})
    tender_id = fields.Integer(load_default=None, validate=validate.Range(min=1))
    open = fields.Boolean(load_default=False)
    q = fields.String(load_default=None, validate=validate.Length(min=1, max=200), metadata={
        "description": "dans l'objet, la structure ou l'acheteur"})
    deadline_from = fields.AwareDateTime(load_default=None, format="iso")
    deadline_to = fields.AwareDateTime(load_default=None, format="iso")
    sort = fields.String(load_default="updated", validate=validate.OneOf(["updated", "deadline"]),
                         metadata={"description": "updated (les derniers changés) ou deadline "
                                                  "(la date limite la plus proche)"})
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class StageChangeInSchema(Schema):
    stage = fields.String(required=True, validate=validate.OneOf(STAGES))
    reason = fields.String(load_default=None, allow_none=True,
                           validate=validate.Length(max=2000))
    override_reason = fields.String(load_default=None, allow_none=True,
                                    validate=validate.Length(min=3, max=2000), metadata={
        "description": "déposer malgré un diagnostic no-go ou des pièces manquantes : le motif"})


class OutcomeInSchema(Schema):
    outcome = fields.String(required=True, validate=validate.OneOf(["won", "lost"]))
    amount = Amount(load_default=None, allow_none=True)
    feedback = fields.String(load_default=None, allow_none=True,
                             validate=validate.Length(max=4000))

    @validates_schema
    def amount_when_won(self, data, **kwargs):
        if data.get("outcome") == "won" and data.get("amount") is None:
            raise ValidationError("Indiquez le montant attribué (en euros HT) pour enregistrer "
                                  "un marché gagné.", "amount")


class HistoryEntrySchema(Schema):
    from_stage = fields.String(allow_none=True)
    to_stage = fields.String()
    changed_by = fields.String()
    reason = fields.String(allow_none=True)
    changed_at = fields.DateTime()


class CaseDetailSchema(CaseOutSchema):
    history = fields.List(fields.Nested(HistoryEntrySchema))
    warnings = fields.List(fields.String(), metadata={
        "description": "ce qui s'oppose à la rédaction et au dépôt (diagnostic no-go, pièces "
                       "obligatoires manquantes) : le dépôt les exige levées ou motivées"})


class PlannedReminderSchema(Schema):
    days_before = fields.Integer()
    at = fields.String()


class ReminderEntrySchema(PlannedReminderSchema):
    deadline = fields.String()
    skipped = fields.Boolean()


class LiveHistorySchema(Schema):
    from_stage = fields.String()
    to_stage = fields.String()
    changed_by = fields.String()
    reason = fields.String(allow_none=True)
    at = fields.String()


class EscalationSchema(Schema):
    stage = fields.String()
    idle_since = fields.String()
    at = fields.String()


class CaseLiveStateSchema(Schema):
    """What the case's workflow itself holds (the source of truth)."""

    case_id = fields.Integer()
    stage = fields.String()
    history = fields.List(fields.Nested(LiveHistorySchema))
    deadline = fields.String(allow_none=True)
    reminder_days = fields.List(fields.Integer())
    idle_days = fields.Dict(keys=fields.String(), values=fields.Integer())
    last_activity_at = fields.String(allow_none=True)
    reminders = fields.List(fields.Nested(ReminderEntrySchema))
    next_reminders = fields.List(fields.Nested(PlannedReminderSchema))
    next_wakeup = fields.String(allow_none=True)
    escalations = fields.List(fields.Nested(EscalationSchema))
