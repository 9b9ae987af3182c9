"""Formation's figures for the impact report: hours delivered, attendance, satisfaction."""

from __future__ import annotations

from dataclasses import asdict

from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.web import open_to_members, resources, scoped_structure

from ..store import figures as store
from ..domain.figures import report
from .figures_schemas import FiguresQuerySchema, ReportSchema

blp = Blueprint("figures", __name__, url_prefix="/api/figures",
                description="Chiffres de la formation pour le rapport d'impact")


@blp.route("")
class Figures(MethodView):
    @open_to_members
    @blp.arguments(FiguresQuerySchema, location="query")
    @blp.response(200, ReportSchema)
    def get(self, query):
        """Heures de formation, taux de présence et satisfaction des sessions de la période
        (un membre : ceux de sa structure)."""
        structure_id = scoped_structure(query["structure_id"])
        with resources().db.transaction() as conn:
            records = store.figure_records(conn, store.FigureQuery(
                query["start"], query["end"], structure_id))
        result = asdict(report(records, query["start"], query["end"]))
        result["structure_id"] = structure_id
        return result
