"""Tenders: search them, read one with its lots and versions, save one (staff only)."""

from __future__ import annotations

from datetime import datetime

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import open_to_members, open_to_signed_in, resources, staff_only

from ..exports import tenders_csv
from ..ingest import PARIS, perimeter_of
from ..store import clause_lots as clause_store
from ..store import search as search_store
from ..store import tenders as tender_store
from ..workflow_calls import import_status, start_import
from .tenders_schemas import (ClauseLotQuerySchema, ClauseLotSchema, ImportInSchema,
                              TenderDetailSchema, TenderInSchema, TenderListItemSchema,
                              TenderQuerySchema, WorkflowRefSchema)

blp = Blueprint("tenders", __name__, url_prefix="/api", description="Appels d'offres")


def notice_from_payload(payload: dict) -> dict:
    """A validated payload in the normaliser's JSON shape."""
    return TenderInSchema().dump(payload)


@blp.route("/tenders")
class Tenders(MethodView):
    @open_to_signed_in
    @blp.arguments(TenderQuerySchema, location="query")
    @blp.response(200, TenderListItemSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Chercher des appels d'offres (texte intégral en français et filtres)."""
        with resources().db.transaction() as conn:
            rows, total = search_store.search_tenders(
                conn, filters, pagination_parameters.page_size,
                pagination_parameters.first_item)
        pagination_parameters.item_count = total
        return rows

    @staff_only
    @blp.arguments(TenderInSchema)
    @blp.response(201, TenderDetailSchema)
    def post(self, payload):
        """Enregistrer un avis (création, ou fusion dans l'appel d'offres qu'il concerne)."""
        res = resources()
        with res.db.transaction() as conn:
            tender_id, _outcome = tender_store.ingest_notice(
                conn, notice_from_payload(payload), perimeter_of(res.settings),
                datetime.now(PARIS).date())
            return tender_store.get_tender(conn, tender_id)


EXPORT_LIMIT = 5000


@blp.route("/tenders/export.csv")
class TendersExport(MethodView):
    @open_to_signed_in
    @blp.arguments(TenderQuerySchema, location="query")
    @blp.response(200, content_type="text/csv", description=(
        "Les appels d'offres de la recherche (5 000 au plus), en CSV : séparateur « ; »,"
        " en-têtes en français, UTF-8 avec BOM pour les tableurs."))
    def get(self, filters):
        """Exporter une recherche en CSV."""
        with resources().db.transaction() as conn:
            rows, _total = search_store.search_tenders(conn, filters, EXPORT_LIMIT, 0)
        return Response(tenders_csv(rows), mimetype="text/csv", headers={
            "Content-Disposition": 'attachment; filename="appels-d-offres.csv"'})


@blp.route("/tenders/clause-lots")
class ClauseLots(MethodView):
    @open_to_signed_in
    @blp.arguments(ClauseLotQuerySchema, location="query")
    @blp.response(200, ClauseLotSchema(many=True))
    @blp.paginate()
    def get(self, filters, pagination_parameters):
        """Les lots des appels d'offres du territoire qui portent une clause sociale ou
        d'insertion, un par ligne, avec les heures que l'avis demande et leurs titulaires
        (pour le facilitateur de la clause sociale)."""
        with resources().db.transaction() as conn:
            rows, total = clause_store.clause_lots(conn, filters,
                                                   pagination_parameters.page_size,
                                                   pagination_parameters.first_item)
        pagination_parameters.item_count = total
        return rows


@blp.route("/tenders/<int:tender_id>")
class TenderDetail(MethodView):
    @open_to_signed_in
    @blp.response(200, TenderDetailSchema)
    def get(self, tender_id):
        """Un appel d'offres, ses lots, les avis qui l'annoncent et ses versions."""
        with resources().db.transaction() as conn:
            tender = tender_store.get_tender(conn, tender_id)
        if tender is None:
            abort(404, message=f"Appel d'offres {tender_id} introuvable.")
        return tender


@blp.route("/imports")
class Imports(MethodView):
    @staff_only
    @blp.arguments(ImportInSchema)
    @blp.response(202, WorkflowRefSchema)
    def post(self, payload):
        """Importer un lot d'avis, par un workflow Temporal."""
        res = resources()
        notices = [notice_from_payload(n) for n in payload["notices"]]
        workflow_id = start_import(res.temporal, res.settings.task_queue, notices)
        return {"workflow_id": workflow_id, "status": "RUNNING", "result": None}


@blp.route("/imports/<string:workflow_id>")
class ImportStatus(MethodView):
    @open_to_members
    @blp.response(200, WorkflowRefSchema)
    def get(self, workflow_id):
        """Où en est un import."""
        status = import_status(resources().temporal, workflow_id)
        if status is None:
            abort(404, message="Import introuvable.")
        return status
