"""The audit trail of a structure (its record, its documents) and of a case (its advisor, its
outcome): advisors only."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.web import resources, staff_only

from ..store import audit as store
from .access import readable_case, readable_structure
from .audit_schemas import AuditEntrySchema

blp = Blueprint("audit", __name__, url_prefix="/api",
                description="Journal des modifications (réservé à la Centrale)")


@blp.route("/structures/<int:structure_id>/audit")
class StructureAudit(MethodView):
    @staff_only
    @blp.response(200, AuditEntrySchema(many=True))
    def get(self, structure_id):
        """Qui a modifié la fiche de la structure ou ses documents, et quand."""
        readable_structure(structure_id)
        with resources().db.transaction() as conn:
            return store.trail(conn, "structure", structure_id)


@blp.route("/cases/<int:case_id>/audit")
class CaseAudit(MethodView):
    @staff_only
    @blp.response(200, AuditEntrySchema(many=True))
    def get(self, case_id):
        """Qui a changé le conseiller du dossier ou son résultat, et quand."""
        readable_case(case_id)
        with resources().db.transaction() as conn:
            return store.trail(conn, "case", case_id)
