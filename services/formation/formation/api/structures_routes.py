"""What formation proposes to a structure: the modules its diagnoses recommended
(``diagnosis.completed``), with their upcoming sessions."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.web import resources, structure_in_path

from ..sessions import with_derived
from ..store import recommendations as recommendation_store
from ..store import sessions as session_store
from .access import now
from .structures_schemas import RecommendationsSchema

blp = Blueprint("structures", __name__, url_prefix="/api/structures",
                description="Formations recommandées aux structures")


@blp.route("/<int:structure_id>/recommendations")
class Recommendations(MethodView):
    @structure_in_path()
    @blp.response(200, RecommendationsSchema)
    def get(self, structure_id):
        """Les modules recommandés à la structure et leurs prochaines sessions."""
        moment = now()
        with resources().db.transaction() as conn:
            modules = recommendation_store.recommendations(conn, structure_id)
            sessions = session_store.upcoming_sessions(conn, [m["code"] for m in modules])
        for module in modules:
            module["sessions"] = [with_derived(s, moment) for s in sessions
                                  if s["module_code"] == module["code"]]
        return {"structure_id": structure_id, "modules": modules}
