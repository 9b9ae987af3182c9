"""A case's notes and coaching hours. Writing either counts as activity on the case (its
idle-stage escalation starts again).

Notes are the advisors' own (internal) unless written « partagée avec la structure »; the
hours are the advisors' and the funders' business: members do not read them."""

from __future__ import annotations

from decimal import Decimal

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import current_identity, resources, staff_only

from ..store import advisors as advisor_store
from ..store import journal as store
from .. import workflow_calls
from .access import case_scope, invalid, readable_case
from .journal_schemas import NoteInSchema, NoteOutSchema, TimeInSchema, TimeOutSchema, \
    TimeSummarySchema

blp = Blueprint("journal", __name__, url_prefix="/api/cases",
                description="Notes et heures d'accompagnement d'un dossier")


@blp.route("/<int:case_id>/notes")
class Notes(MethodView):
    @case_scope
    @blp.response(200, NoteOutSchema(many=True))
    def get(self, case_id):
        """Les notes du dossier, les plus anciennes d'abord (un membre : celles partagées avec
        sa structure)."""
        readable_case(case_id)
        with resources().db.transaction() as conn:
            return store.notes(conn, case_id, shared_only=not current_identity().is_staff)

    @staff_only
    @blp.arguments(NoteInSchema)
    @blp.response(201, NoteOutSchema)
    def post(self, payload, case_id):
        """Ajouter une note au dossier (interne, sauf si elle est partagée avec la structure)."""
        identity = current_identity()
        case = readable_case(case_id)
        with resources().db.transaction() as conn:
            note = store.add_note(conn, case_id, payload["body"], identity.subject,
                                  payload["shared"])
        workflow_calls.activity(case, identity.subject)
        return note


@blp.route("/<int:case_id>/time")
class TimeEntries(MethodView):
    @staff_only
    @blp.response(200, TimeSummarySchema)
    def get(self, case_id):
        """Les heures d'accompagnement passées sur le dossier, et leur total."""
        readable_case(case_id)
        with resources().db.transaction() as conn:
            entries = store.time_entries(conn, case_id)
        return {"total_hours": sum((e["hours"] for e in entries), Decimal(0)), "entries": entries}

    @staff_only
    @blp.arguments(TimeInSchema)
    @blp.response(201, TimeOutSchema)
    def post(self, payload, case_id):
        """Saisir du temps passé (heures d'accompagnement, pour les financeurs) : il compte
        pour le conseiller désigné, sinon pour la personne qui le saisit, sinon pour le
        conseiller du dossier."""
        identity = current_identity()
        case = readable_case(case_id)
        with resources().db.transaction() as conn:
            advisor_id = payload["advisor_id"]
            if advisor_id and advisor_store.get_advisor(conn, advisor_id) is None:
                invalid({"advisor_id": [f"Conseiller {advisor_id} inconnu."]})
            if advisor_id is None:
                logger = advisor_store.advisor_of(conn, identity.email)
                advisor_id = logger["id"] if logger else case["advisor_id"]
            entry = store.add_time(conn, case_id, advisor_id, payload["spent_on"],
                                   payload["hours"], payload["activity"], payload["comment"],
                                   identity.subject)
        workflow_calls.activity(case, identity.subject)
        return entry


@blp.route("/<int:case_id>/time/<int:entry_id>")
class TimeEntry(MethodView):
    @staff_only
    @blp.response(204)
    def delete(self, case_id, entry_id):
        """Supprimer une saisie de temps (une erreur de saisie)."""
        readable_case(case_id)
        with resources().db.transaction() as conn:
            if store.delete_time(conn, case_id, entry_id) is None:
                abort(404, message=f"Saisie de temps {entry_id} introuvable pour ce dossier.")
