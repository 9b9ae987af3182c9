"""Training modules and sessions: each scheduled session runs a SessionWorkflow."""

from __future__ import annotations

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint, abort
from psycopg.errors import ForeignKeyViolation

from centrale.web import current_identity, open_to_members, resources, staff_only

from ..config import current_config
from ..domain.invitation import CONTENT_TYPE, session_invitation
from ..registrations import record_attendance
from ..sessions import close_session, reschedule_session, schedule_session, with_derived
from ..store import modules as module_store
from ..store import sessions as session_store
from ..workflow_calls import (reschedulable, signal_attendance, signal_cancel,
                              signal_reschedule, start_workflow)
from .access import existing_session, now
from .registrations_routes import present
from .registrations_schemas import RegistrationOutSchema
from .sessions_schemas import (AttendanceInSchema, CancelInSchema, ModuleSchema,
                               RescheduleInSchema, SessionInSchema, SessionMoveSchema,
                               SessionOutSchema, SessionQuerySchema)

WORKFLOW_GONE = ("Le suivi automatique de cette session ne tourne plus : annulez-la et "
                 "programmez-en une nouvelle.")
WORKFLOW_TOO_OLD = ("Le suivi automatique de cette session ne sait pas la déplacer (session "
                    "programmée avant cette possibilité) : annulez-la et programmez-en une "
                    "nouvelle.")
blp = Blueprint("sessions", __name__, url_prefix="/api", description="Modules et sessions")


@blp.route("/modules")
class Modules(MethodView):
    @open_to_members
    @blp.response(200, ModuleSchema(many=True))
    def get(self):
        """Le catalogue des modules."""
        with resources().db.transaction() as conn:
            return module_store.list_modules(conn)

    @staff_only
    @blp.arguments(ModuleSchema)
    @blp.response(201, ModuleSchema)
    def post(self, module):
        """Créer ou mettre à jour un module."""
        with resources().db.transaction() as conn:
            module_store.upsert_module(conn, module["code"], module["title"],
                                       module["objectives"], module["duration_h"])
        return module


@blp.route("/sessions")
class Sessions(MethodView):
    @open_to_members
    @blp.arguments(SessionQuerySchema, location="query")
    @blp.response(200, SessionOutSchema(many=True))
    def get(self, query):
        """Les sessions, par date (filtres : module, à venir, commencées — les plus récentes
        d'abord —, statut)."""
        moment = now()
        with resources().db.transaction() as conn:
            rows = session_store.list_sessions(conn, query["limit"], query["offset"],
                                               query["module_code"], query["upcoming"],
                                               query["status"], started=query["started"])
        return [with_derived(row, moment) for row in rows]

    @staff_only
    @blp.arguments(SessionInSchema)
    @blp.response(201, SessionOutSchema)
    def post(self, payload):
        """Programmer une session : son workflow démarre (rappels, clôture, questionnaire)."""
        res = resources()
        if payload["registration_close_hours"] is None:
            payload["registration_close_hours"] = current_config().close_hours
        try:
            with res.db.transaction() as conn:
                session = schedule_session(conn, payload)
                # Started inside the transaction: if Temporal refuses, no session is created.
                start_workflow(res.temporal, res.settings.task_queue, session)
        except ForeignKeyViolation:
            abort(422, message="Module inconnu.",
                  messages={"json": {"module_code": ["Module inconnu."]}})
        return with_derived(session, now())


@blp.route("/sessions/<int:session_id>")
class SessionDetail(MethodView):
    @open_to_members
    @blp.response(200, SessionOutSchema)
    def get(self, session_id):
        """Une session, ses places restantes et l'état de ses inscriptions."""
        return existing_session(session_id)


@blp.route("/sessions/<int:session_id>/cancel")
class SessionCancel(MethodView):
    @staff_only
    @blp.arguments(CancelInSchema)
    @blp.response(202, SessionOutSchema)
    def post(self, payload, session_id):
        """Annuler une session : son workflow s'arrête et prévient les inscrits."""
        res = resources()
        session = existing_session(session_id)
        if session["status"] != "scheduled":
            abort(409, message="Cette session est déjà close.")
        if not signal_cancel(res.temporal, session, payload["reason"]):
            # No workflow runs for it (never started): close it here, with the same effects.
            with res.db.transaction() as conn:
                close_session(conn, session_id, "cancelled", payload["reason"])
            return existing_session(session_id)
        return session


@blp.route("/sessions/<int:session_id>/reschedule")
class SessionReschedule(MethodView):
    @staff_only
    @blp.arguments(RescheduleInSchema)
    @blp.response(200, SessionOutSchema)
    def post(self, payload, session_id):
        """Déplacer une session : les inscrits reçoivent les nouvelles dates et l'invitation
        mise à jour ; rappels et clôture des inscriptions suivent la nouvelle date."""
        identity = current_identity()
        res = resources()
        session = existing_session(session_id)
        if session["status"] == "scheduled":
            follows = reschedulable(res.temporal, session)
            if follows is None:
                abort(409, message=WORKFLOW_GONE)
            if not follows:
                abort(409, message=WORKFLOW_TOO_OLD)
        with res.db.transaction() as conn:
            moved = reschedule_session(conn, session_id, payload["starts_at"],
                                       payload["ends_at"], payload["reason"],
                                       identity.subject, now())
            # Inside the transaction: if the workflow cannot be told, nothing moves.
            signal_reschedule(res.temporal, moved)
        return with_derived(moved, now())


@blp.route("/sessions/<int:session_id>/moves")
class SessionMoves(MethodView):
    @staff_only
    @blp.response(200, SessionMoveSchema(many=True))
    def get(self, session_id):
        """Les déplacements d'une session, du premier au dernier (conseillers : on y lit qui a
        déplacé la session)."""
        existing_session(session_id)
        with resources().db.transaction() as conn:
            return session_store.session_moves(conn, session_id)


@blp.route("/sessions/<int:session_id>/invitation.ics")
class SessionInvitation(MethodView):
    @open_to_members
    @blp.doc(responses={"200": {"description": "Invitation iCalendar (Europe/Paris).",
                                "content": {"text/calendar": {"schema": {"type": "string"}}}}})
    def get(self, session_id):
        """L'invitation de la session pour un agenda (.ics, fuseau Europe/Paris)."""
        session = existing_session(session_id)
        return Response(session_invitation(session, now()), content_type=CONTENT_TYPE, headers={
            "Content-Disposition": f'attachment; filename="formation-session-{session_id}.ics"'})


@blp.route("/sessions/<int:session_id>/attendance")
class SessionAttendance(MethodView):
    @staff_only
    @blp.arguments(AttendanceInSchema)
    @blp.response(200, RegistrationOutSchema(many=True))
    def post(self, payload, session_id):
        """Enregistrer (ou corriger) la feuille de présence, à partir du début de la session."""
        res = resources()
        with res.db.transaction() as conn:
            rows = record_attendance(conn, session_id, payload["attendance"], now())
            session = session_store.get_session(conn, session_id)
        # The workflow then asks the participants for the satisfaction survey.
        signal_attendance(res.temporal, session)
        return [present(row) for row in rows]
