"""Cases: open one (a CaseWorkflow starts), list and read them, move them between stages."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from temporalio.client import WorkflowUpdateFailedError

from centrale.web import current_identity, require_staff, resources

from .. import store
from ..workflows import CaseInput, CaseWorkflow, StageChange
from .cases_schemas import (CaseDetailSchema, CaseInSchema, CaseOutSchema, CaseQuerySchema,
                            StageChangeInSchema)

blp = Blueprint("cases", __name__, url_prefix="/api/cases",
                description="Dossiers d'accompagnement")


def readable_case(case_id: int) -> dict:
    """The case, if the caller may see it; 404 otherwise (no hint that it exists)."""
    with resources().db.transaction() as conn:
        case = store.get_case(conn, case_id)
        if case is None or not current_identity().may_access_structure(case["structure_id"]):
            abort(404, message=f"Dossier {case_id} introuvable.")
        case["history"] = store.stage_history(conn, case_id)
    return case


@blp.route("")
class Cases(MethodView):
    @blp.arguments(CaseQuerySchema, location="query")
    @blp.response(200, CaseOutSchema(many=True))
    def get(self, query):
        """Lister les dossiers (un membre ne voit que ceux de sa structure)."""
        identity = current_identity()
        structure_id = query["structure_id"]
        if not identity.is_staff:
            if structure_id not in (None, identity.structure_id):
                abort(403, message="Vous ne pouvez consulter que les dossiers de votre structure.")
            structure_id = identity.structure_id
        with resources().db.transaction() as conn:
            return store.list_cases(conn, structure_id, query["stage"], query["limit"],
                                    query["offset"])

    @blp.arguments(CaseInSchema)
    @blp.response(201, CaseOutSchema)
    def post(self, payload):
        """Ouvrir un dossier : son workflow démarre à l'étape « Diagnostic »."""
        identity = require_staff()
        res = resources()
        with res.db.transaction() as conn:
            case = store.open_case(conn, payload["structure_id"], payload["tender_id"],
                                   payload["title"], identity.subject)
            # Started inside the transaction: if Temporal refuses, the case is not created.
            res.temporal.run(lambda client: client.start_workflow(
                CaseWorkflow.run, CaseInput(case_id=case["id"]), id=case["workflow_id"],
                task_queue=res.settings.task_queue))
        return case


@blp.route("/<int:case_id>")
class CaseDetail(MethodView):
    @blp.response(200, CaseDetailSchema)
    def get(self, case_id):
        """Un dossier et l'historique de ses étapes."""
        return readable_case(case_id)


@blp.route("/<int:case_id>/stage")
class CaseStage(MethodView):
    @blp.arguments(StageChangeInSchema)
    @blp.response(200, CaseDetailSchema)
    def post(self, payload, case_id):
        """Changer l'étape d'un dossier ; un changement invalide est refusé avec sa raison."""
        identity = require_staff()
        case = readable_case(case_id)
        res = resources()
        change = StageChange(target=payload["stage"], changed_by=identity.subject,
                             reason=payload["reason"])
        try:
            res.temporal.run(lambda client: client.get_workflow_handle(
                case["workflow_id"]).execute_update(CaseWorkflow.change_stage, change))
        except WorkflowUpdateFailedError as exc:
            reason = getattr(exc.cause, "message", None) or str(exc.cause)
            abort(409, message=reason)
        return readable_case(case_id)
