"""The delivery log: what was sent, what failed and why, what preferences skipped (staff)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.web import resources, staff_only

from .. import store
from ..domain.recipients import normalize_email
from .deliveries_schemas import DeliveryQuerySchema, DeliverySchema, DeliverySummarySchema

blp = Blueprint("deliveries", __name__, url_prefix="/api/deliveries",
                description="Journal des envois (équipe de la Centrale)")


@blp.route("")
class Deliveries(MethodView):
    @staff_only
    @blp.arguments(DeliveryQuerySchema, location="query")
    @blp.response(200, DeliverySchema(many=True))
    def get(self, query):
        """Les envois, les plus récents d'abord : envoyés, en échec, écartés par préférence."""
        filters = {"status": query["status"], "event_type": query["event_type"],
                   "event_id": query["event_id"],
                   "recipient": normalize_email(query["recipient"]) if query["recipient"]
                   else None}
        with resources().db.transaction() as conn:
            return store.deliveries.log(conn, filters, query["limit"], query["offset"])


@blp.route("/summary")
class DeliverySummary(MethodView):
    @staff_only
    @blp.response(200, DeliverySummarySchema)
    def get(self):
        """Combien d'envois dans chaque état."""
        with resources().db.transaction() as conn:
            return {"deliveries": store.deliveries.status_counts(conn),
                    "emails": store.deliveries.email_status_counts(conn)}
