"""Training modules and sessions: each scheduled session runs a SessionWorkflow."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from psycopg.errors import ForeignKeyViolation

from centrale.web import require_staff, resources

from .. import store
from ..workflows import Cancellation, SessionInput, SessionWorkflow
from .sessions_schemas import (CancelInSchema, ModuleSchema, PageQuerySchema, SessionInSchema,
                               SessionOutSchema)

blp = Blueprint("sessions", __name__, url_prefix="/api", description="Modules et sessions")


@blp.route("/modules")
class Modules(MethodView):
    @blp.response(200, ModuleSchema(many=True))
    def get(self):
        """Le catalogue des modules."""
        with resources().db.transaction() as conn:
            return store.list_modules(conn)

    @blp.arguments(ModuleSchema)
    @blp.response(201, ModuleSchema)
    def post(self, module):
        """Créer ou mettre à jour un module."""
        require_staff()
        with resources().db.transaction() as conn:
            store.upsert_module(conn, module["code"], module["title"], module["objectives"],
                                module["duration_h"])
        return module


@blp.route("/sessions")
class Sessions(MethodView):
    @blp.arguments(PageQuerySchema, location="query")
    @blp.response(200, SessionOutSchema(many=True))
    def get(self, page):
        """Les sessions, par date."""
        with resources().db.transaction() as conn:
            return store.list_sessions(conn, page["limit"], page["offset"])

    @blp.arguments(SessionInSchema)
    @blp.response(201, SessionOutSchema)
    def post(self, payload):
        """Programmer une session : son workflow démarre."""
        require_staff()
        res = resources()
        try:
            with res.db.transaction() as conn:
                session = store.schedule_session(conn, payload)
                res.temporal.run(lambda client: client.start_workflow(
                    SessionWorkflow.run,
                    SessionInput(session_id=session["id"], ends_at=session["ends_at"].isoformat()),
                    id=session["workflow_id"], task_queue=res.settings.task_queue))
        except ForeignKeyViolation:
            abort(422, message="Module inconnu.",
                  messages={"json": {"module_code": ["Module inconnu."]}})
        return session


@blp.route("/sessions/<int:session_id>/cancel")
class SessionCancel(MethodView):
    @blp.arguments(CancelInSchema)
    @blp.response(202, SessionOutSchema)
    def post(self, payload, session_id):
        """Annoncer l'annulation d'une session (les inscrits seront prévenus)."""
        require_staff()
        res = resources()
        with res.db.transaction() as conn:
            session = store.get_session(conn, session_id)
        if session is None:
            abort(404, message=f"Session {session_id} introuvable.")
        if session["status"] != "scheduled":
            abort(409, message="Cette session est déjà close.")
        res.temporal.run(lambda client: client.get_workflow_handle(session["workflow_id"]).signal(
            SessionWorkflow.cancel, Cancellation(reason=payload["reason"])))
        return session
