"""Advisors (conseillers): who coaches which cases, and how loaded each one is."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import resources, staff_only

from ..store import advisors as store
from .advisors_schemas import (AdvisorInSchema, AdvisorOutSchema, AdvisorPatchSchema,
                               PeriodQuerySchema, WorkloadSchema)


blp = Blueprint("advisors", __name__, url_prefix="/api/advisors",
                description="Conseillers et charge de travail (réservé à la Centrale)")


def _existing(conn, advisor_id: int) -> dict:
    advisor = store.get_advisor(conn, advisor_id)
    if advisor is None:
        abort(404, message=f"Conseiller {advisor_id} introuvable.")
    return advisor


def _duplicate(email: str):
    abort(409, message=f"Un conseiller a déjà l'adresse {email}.")


@blp.route("")
class Advisors(MethodView):
    @staff_only
    @blp.response(200, AdvisorOutSchema(many=True))
    def get(self):
        """Lister les conseillers."""
        with resources().db.transaction() as conn:
            return store.list_advisors(conn)

    @staff_only
    @blp.arguments(AdvisorInSchema)
    @blp.response(201, AdvisorOutSchema)
    def post(self, payload):
        """Ajouter un conseiller."""
        try:
            with resources().db.transaction() as conn:
                return store.create_advisor(conn, payload["name"], payload["email"])
        except store.DuplicateEmail:
            _duplicate(payload["email"])


@blp.route("/workload")
class Workloads(MethodView):
    @staff_only
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.response(200, WorkloadSchema(many=True))
    def get(self, query):
        """Charge de chaque conseiller : dossiers ouverts par étape, heures sur la période."""
        with resources().db.transaction() as conn:
            return store.workload(conn, None, query["start"], query["end"])


@blp.route("/<int:advisor_id>")
class AdvisorDetail(MethodView):
    @staff_only
    @blp.response(200, AdvisorOutSchema)
    def get(self, advisor_id):
        """Un conseiller."""
        with resources().db.transaction() as conn:
            return _existing(conn, advisor_id)

    @staff_only
    @blp.arguments(AdvisorPatchSchema)
    @blp.response(200, AdvisorOutSchema)
    def patch(self, payload, advisor_id):
        """Modifier un conseiller (nom, adresse, actif ou non)."""
        try:
            with resources().db.transaction() as conn:
                _existing(conn, advisor_id)
                return store.update_advisor(conn, advisor_id, payload)
        except store.DuplicateEmail:
            _duplicate(payload["email"])


@blp.route("/<int:advisor_id>/workload")
class AdvisorWorkload(MethodView):
    @staff_only
    @blp.arguments(PeriodQuerySchema, location="query")
    @blp.response(200, WorkloadSchema)
    def get(self, query, advisor_id):
        """Charge d'un conseiller : dossiers ouverts par étape, heures sur la période."""
        with resources().db.transaction() as conn:
            _existing(conn, advisor_id)
            return store.workload(conn, advisor_id, query["start"], query["end"])[0]
