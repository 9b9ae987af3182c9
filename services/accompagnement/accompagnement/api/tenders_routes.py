"""The tenders accompagnement knows (its copy of veille's), to open cases on them."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import open_to_signed_in, resources

from ..store import tenders as store
from .tenders_schemas import TenderOutSchema, TenderQuerySchema

blp = Blueprint("tenders", __name__, url_prefix="/api/tenders",
                description="Consultations connues de l'accompagnement (copie de la veille)")


@blp.route("")
class Tenders(MethodView):
    @open_to_signed_in
    @blp.arguments(TenderQuerySchema, location="query")
    @blp.response(200, TenderOutSchema(many=True))
    def get(self, query):
        """Les consultations publiques reçues de la veille (ouvertes seulement par défaut)."""
        with resources().db.transaction() as conn:
            return store.list_tenders(conn, query["open"], query["limit"], query["offset"])


@blp.route("/<int:tender_id>")
class TenderDetail(MethodView):
    @open_to_signed_in
    @blp.response(200, TenderOutSchema)
    def get(self, tender_id):
        """Une consultation (avis public)."""
        with resources().db.transaction() as conn:
            tender = store.get_tender(conn, tender_id)
        if tender is None:
            abort(404, message=f"Consultation {tender_id} inconnue.")
        return tender
