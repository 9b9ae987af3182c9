"""Tenders: read them, or save one (advisors and services only)."""

from __future__ import annotations

import dataclasses
import uuid

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.temporal import workflow_status
from centrale.web import require_staff, resources

from .. import store
from ..workflows import ImportNoticesInput, ImportNoticesWorkflow
from .tenders_schemas import (ImportInSchema, PageQuerySchema, TenderInSchema, TenderOutSchema,
                              WorkflowRefSchema)

blp = Blueprint("tenders", __name__, url_prefix="/api", description="Appels d'offres")


@blp.route("/tenders")
class Tenders(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, TenderOutSchema(many=True))
    def get(self, page):
        """Lister les appels d'offres, par date limite."""
        with resources().db.transaction() as conn:
            return store.list_tenders(conn, page["limit"], page["offset"])

    @blp.arguments(TenderInSchema)
    @blp.response(201, TenderOutSchema)
    def post(self, payload):
        """Enregistrer un appel d'offres (création ou mise à jour par source et identifiant)."""
        require_staff()
        notice = TenderInSchema().dump(payload)
        with resources().db.transaction() as conn:
            tender_id, _outcome = store.upsert_tender(conn, notice)
            return store.get_tender(conn, tender_id)


@blp.route("/tenders/<int:tender_id>")
class TenderDetail(MethodView):
    @blp.response(200, TenderOutSchema)
    def get(self, tender_id):
        """Détail d'un appel d'offres."""
        with resources().db.transaction() as conn:
            tender = store.get_tender(conn, tender_id)
        if tender is None:
            abort(404, message=f"Appel d'offres {tender_id} introuvable.")
        return tender


@blp.route("/imports")
class Imports(MethodView):
    @blp.arguments(ImportInSchema)
    @blp.response(202, WorkflowRefSchema)
    def post(self, payload):
        """Importer un lot d'avis normalisés, par un workflow Temporal."""
        require_staff()
        res = resources()
        notices = [TenderInSchema().dump(n) for n in payload["notices"]]
        workflow_id = f"import-{uuid.uuid4()}"
        res.temporal.run(lambda client: client.start_workflow(
            ImportNoticesWorkflow.run, ImportNoticesInput(notices=notices),
            id=workflow_id, task_queue=res.settings.task_queue))
        return {"workflow_id": workflow_id, "status": "RUNNING", "result": None}


@blp.route("/imports/<string:workflow_id>")
class ImportStatus(MethodView):
    @blp.response(200, WorkflowRefSchema)
    def get(self, workflow_id):
        """Où en est un import."""
        if not workflow_id.startswith("import-"):
            abort(404, message="Import introuvable.")
        status = workflow_status(resources().temporal, workflow_id)
        if status["status"] == "NOT_FOUND":
            abort(404, message="Import introuvable.")
        if dataclasses.is_dataclass(status["result"]):
            status["result"] = dataclasses.asdict(status["result"])
        return status
