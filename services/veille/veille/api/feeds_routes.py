"""The live sources' polls and what they quarantined: staff only (advisors, admins, services)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import resources, staff_only

from ..store.feed_polls import list_polls
from ..store.quarantine import get_quarantined
from .feeds_schemas import PollOutSchema, PollQuerySchema, QuarantinedOutSchema

blp = Blueprint("feeds", __name__, url_prefix="/api",
                description="Relevés des sources (BOAMP, TED, DECP) et avis en quarantaine")


@blp.route("/feeds/polls")
class FeedPolls(MethodView):
    @staff_only
    @blp.arguments(PollQuerySchema, location="query")
    @blp.response(200, PollOutSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Les relevés des sources, du plus récent au plus ancien : ce que chaque source a annoncé,
        à côté de ce qui a été créé, mis à jour, laissé inchangé, mis en quarantaine ou ignoré
        (« missing » vaut 0 quand rien n'est perdu)."""
        with resources().db.transaction() as conn:
            rows, total = list_polls(conn, query.get("source"), pagination_parameters.page_size,
                                     pagination_parameters.first_item)
        pagination_parameters.item_count = total
        return rows


@blp.route("/quarantine/<int:quarantine_id>")
class Quarantined(MethodView):
    @staff_only
    @blp.response(200, QuarantinedOutSchema)
    def get(self, quarantine_id):
        """Un avis mis en quarantaine, avec son texte brut entier."""
        with resources().db.transaction() as conn:
            row = get_quarantined(conn, quarantine_id)
        if row is None:
            abort(404, message=f"Avis en quarantaine {quarantine_id} introuvable.")
        return row
