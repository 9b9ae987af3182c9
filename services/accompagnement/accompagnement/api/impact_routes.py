"""Impact figures for the funders over a period, as JSON or as a CSV file (French Excel)."""

from __future__ import annotations

import csv
import io

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.web import resources, staff_only

from ..domain.impact import compute_impact
from ..domain.stages import Stage
from ..domain.structures import Category
from ..store.impact import impact_input
from .impact_schemas import ImpactQuerySchema, ImpactSchema


blp = Blueprint("impact", __name__, url_prefix="/api",
                description="Chiffres d'impact pour les financeurs (réservé à la Centrale)")


def figures(query: dict) -> dict:
    with resources().db.transaction() as conn:
        return compute_impact(impact_input(conn, query["start"], query["end"],
                                           query["departement"]))


def number(value, places: int) -> str:
    """A decimal comma and a fixed number of places, as French spreadsheets read it."""
    return f"{value:.{places}f}".replace(".", ",")


def csv_rows(data: dict) -> list[tuple[str, str, str]]:
    """(indicator, detail, value) in French, numbers with a decimal comma."""
    rows = [("Période", "début", data["period"]["start"].isoformat()),
            ("Période", "fin", data["period"]["end"].isoformat()),
            ("Territoire", "départements", ", ".join(data["departements"]) or "tous"),
            ("Structures accompagnées", "total", str(data["structures_helped"]["total"]))]
    rows += [("Structures accompagnées", Category(code).label, str(count))
             for code, count in data["structures_helped"]["by_category"].items()]
    rows += [("Dossiers par étape", Stage(code).label, str(count))
             for code, count in data["cases_by_stage"].items()]
    win_rate = data["win_rate"]
    rows += [
        ("Réponses déposées", "", str(data["answers_submitted"])),
        ("Marchés gagnés", "", str(data["won"])),
        ("Marchés perdus", "", str(data["lost"])),
        ("Taux de réussite", "%", "" if win_rate is None else number(win_rate * 100, 1)),
        ("Montants gagnés", "euros HT", number(data["amount_won"], 2)),
        ("Heures d'accompagnement", "heures", number(data["coaching_hours"], 2)),
        ("Groupements constitués", "", str(data["consortia_formed"])),
        ("Diagnostics réalisés", "", str(data["diagnoses"])),
        ("Heures d'insertion", "heures", number(data["insertion_hours"], 2)),
    ]
    return rows


@blp.route("/impact")
class Impact(MethodView):
    @staff_only
    @blp.arguments(ImpactQuerySchema, location="query")
    @blp.response(200, ImpactSchema)
    def get(self, query):
        """Structures aidées par catégorie, dossiers par étape, réponses, taux de réussite,
        montants gagnés, heures d'accompagnement, groupements, heures d'insertion."""
        return figures(query)


@blp.route("/impact.csv")
class ImpactCsv(MethodView):
    @staff_only
    @blp.arguments(ImpactQuerySchema, location="query")
    @blp.response(200, content_type="text/csv")
    def get(self, query):
        """Les mêmes chiffres en CSV (séparateur « ; », pour un tableur en français)."""
        data = figures(query)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(("indicateur", "détail", "valeur"))
        writer.writerows(csv_rows(data))
        name = f"impact_{query['start'].isoformat()}_{query['end'].isoformat()}.csv"
        return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv",
                        headers={"Content-Disposition": f'attachment; filename="{name}"'})
