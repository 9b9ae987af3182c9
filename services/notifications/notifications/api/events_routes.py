"""The events notifications received (staff), and digests compiled by a workflow.

The daily digest is started every morning by its Temporal Schedule (``notifications
schedules``); ``POST /api/digests`` compiles one now.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import resources, staff_only

from .. import store
from ..workflow_calls import digest_status, start_digest
from .events_schemas import DigestRefSchema, EventQuerySchema, ReceivedEventSchema

blp = Blueprint("events", __name__, url_prefix="/api", description="Événements et résumés")


@blp.route("/events")
class ReceivedEvents(MethodView):
    @staff_only
    @blp.arguments(EventQuerySchema, location="query")
    @blp.response(200, ReceivedEventSchema(many=True))
    def get(self, query):
        """Les événements reçus, les plus récents d'abord (conseillers)."""
        with resources().db.transaction() as conn:
            return store.list_received(conn, query["type"], query["limit"], query["offset"])


@blp.route("/digests")
class Digests(MethodView):
    @staff_only
    @blp.response(202, DigestRefSchema)
    def post(self):
        """Compiler maintenant le résumé de ce qui est arrivé depuis le précédent.

        Chaque personne qui a choisi le résumé quotidien reçoit un courriel s'il y a du nouveau
        pour elle ; d'habitude, le programme Temporal le lance chaque matin.
        """
        res = resources()
        workflow_id = start_digest(res.temporal, res.settings.task_queue)
        return {"workflow_id": workflow_id, "status": "RUNNING", "result": None}


@blp.route("/digests/<string:workflow_id>")
class DigestStatus(MethodView):
    @staff_only
    @blp.response(200, DigestRefSchema)
    def get(self, workflow_id):
        """Où en est un résumé."""
        status = digest_status(resources().temporal, workflow_id)
        if status is None:
            abort(404, message="Résumé introuvable.")
        return status
