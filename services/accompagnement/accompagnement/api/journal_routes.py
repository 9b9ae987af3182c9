"""A case's notes and coaching hours. Writing either counts as activity on the case (its
idle-stage escalation starts again)."""

from __future__ import annotations

from decimal import Decimal

from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.web import current_identity, resources, staff_only

from ..domain.stages import Stage
from ..store import advisors as advisor_store
from ..store import journal as store
from ..workflows import CaseActivity, CaseWorkflow
from .. import workflow_calls
from .access import case_scope, invalid, readable_case
from .journal_schemas import NoteInSchema, NoteOutSchema, TimeInSchema, TimeOutSchema, \
    TimeSummarySchema

blp = Blueprint("journal", __name__, url_prefix="/api/cases",
                description="Notes et heures d'accompagnement d'un dossier")


def _activity(case: dict, subject: str) -> None:
    if not Stage(case["stage"]).is_terminal:
        workflow_calls.signal(case, CaseWorkflow.activity_recorded, CaseActivity(subject))


@blp.route("/<int:case_id>/notes")
class Notes(MethodView):
    @case_scope
    @blp.response(200, NoteOutSchema(many=True))
    def get(self, case_id):
        """Les notes du dossier, les plus anciennes d'abord."""
        readable_case(case_id)
        with resources().db.transaction() as conn:
            return store.notes(conn, case_id)

    @staff_only
    @staff_only
    @blp.arguments(NoteInSchema)
    @blp.response(201, NoteOutSchema)
    def post(self, payload, case_id):
        """Ajouter une note au dossier."""
        identity = current_identity()
        case = readable_case(case_id)
        with resources().db.transaction() as conn:
            note = store.add_note(conn, case_id, payload["body"], identity.subject)
        _activity(case, identity.subject)
        return note


@blp.route("/<int:case_id>/time")
class TimeEntries(MethodView):
    @case_scope
    @blp.response(200, TimeSummarySchema)
    def get(self, case_id):
        """Les heures d'accompagnement passées sur le dossier, et leur total."""
        readable_case(case_id)
        with resources().db.transaction() as conn:
            entries = store.time_entries(conn, case_id)
        return {"total_hours": sum((e["hours"] for e in entries), Decimal(0)), "entries": entries}

    @staff_only
    @staff_only
    @blp.arguments(TimeInSchema)
    @blp.response(201, TimeOutSchema)
    def post(self, payload, case_id):
        """Saisir du temps passé (heures d'accompagnement, pour les financeurs)."""
        identity = current_identity()
        case = readable_case(case_id)
        advisor_id = payload["advisor_id"] or case["advisor_id"]
        with resources().db.transaction() as conn:
            if payload["advisor_id"] and advisor_store.get_advisor(conn, advisor_id) is None:
                invalid({"advisor_id": [f"Conseiller {advisor_id} inconnu."]})
            entry = store.add_time(conn, case_id, advisor_id, payload["spent_on"],
                                   payload["hours"], payload["activity"], payload["comment"],
                                   identity.subject)
        _activity(case, identity.subject)
        return entry
