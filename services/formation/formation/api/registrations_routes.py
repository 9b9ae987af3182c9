"""Registrations: a structure's people take a seat or join the waitlist; they cancel, answer
the satisfaction survey and download their certificate. A member acts only for their own
structure."""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import current_identity, open_to_members, resources, scoped_structure

from centrale.french import PARIS

from ..certificates import certificate_pdf
from ..domain import registrations as rules
from ..registrations import (cancel_registration, participant_facts, record_survey,
                             register)
from ..store import registrations as store
from .access import existing_session, now, readable_registration, registration_scope
from .registrations_schemas import (CancelOutSchema, RegistrationInSchema, RegistrationOutSchema,
                                    RegistrationQuerySchema, SessionRegistrationQuerySchema,
                                    SurveyInSchema)

blp = Blueprint("registrations", __name__, url_prefix="/api",
                description="Inscriptions, liste d'attente, questionnaire et attestation")


def present(registration: dict[str, Any]) -> dict[str, Any]:
    out = dict(registration)
    out["survey"] = None if registration["surveyed_at"] is None else {
        "score": registration["survey_score"], "comment": registration["survey_comment"],
        "answered_at": registration["surveyed_at"]}
    present_ = registration["attended"] and registration["status"] == "confirmed"
    out["certificate_path"] = (f"/api/registrations/{registration['id']}/certificate.pdf"
                               if present_ else None)
    return out


@blp.route("/sessions/<int:session_id>/registrations")
class SessionRegistrations(MethodView):
    @open_to_members
    @blp.arguments(SessionRegistrationQuerySchema, location="query")
    @blp.response(200, RegistrationOutSchema(many=True))
    def get(self, query, session_id):
        """Les inscrits d'une session, par ordre d'arrivée (un membre : ceux de sa structure)."""
        existing_session(session_id)
        structure_id = scoped_structure(None)
        with resources().db.transaction() as conn:
            rows = store.list_registrations(conn, session_id=session_id,
                                            structure_id=structure_id, status=query["status"],
                                            limit=10000)
        return [present(row) for row in rows]

    @open_to_members
    @blp.arguments(RegistrationInSchema)
    @blp.response(201, RegistrationOutSchema)
    def post(self, payload, session_id):
        """Inscrire une personne : une place si il en reste, sinon la liste d'attente."""
        identity = current_identity()
        if identity.is_staff:
            if payload["structure_id"] is None:
                abort(422, message="Certains champs sont invalides.",
                      messages={"json": {"structure_id": ["Ce champ est obligatoire."]}})
        else:
            if payload["structure_id"] not in (None, identity.structure_id):
                abort(403, message="Vous ne pouvez inscrire que des personnes de votre structure.")
            payload["structure_id"] = identity.structure_id
        with resources().db.transaction() as conn:
            registration = register(conn, session_id, payload, identity.subject, now())
        return present(registration)


@blp.route("/registrations")
class Registrations(MethodView):
    @open_to_members
    @blp.arguments(RegistrationQuerySchema, location="query")
    @blp.response(200, RegistrationOutSchema(many=True))
    def get(self, query):
        """Les inscriptions (un membre : celles de sa structure)."""
        structure_id = scoped_structure(query["structure_id"])
        with resources().db.transaction() as conn:
            rows = store.list_registrations(conn, session_id=query["session_id"],
                                            structure_id=structure_id, status=query["status"],
                                            limit=query["limit"], offset=query["offset"])
        return [present(row) for row in rows]


@blp.route("/registrations/<int:registration_id>")
class RegistrationDetail(MethodView):
    @registration_scope
    @blp.response(200, RegistrationOutSchema)
    def get(self, registration_id):
        """Une inscription."""
        return present(readable_registration(registration_id))


@blp.route("/registrations/<int:registration_id>/cancel")
class RegistrationCancel(MethodView):
    @registration_scope
    @blp.response(200, CancelOutSchema)
    def post(self, registration_id):
        """Annuler une inscription : la place revient à la tête de la liste d'attente
        (tant que les inscriptions sont ouvertes)."""
        readable_registration(registration_id)
        identity = current_identity()
        with resources().db.transaction() as conn:
            cancelled, promoted = cancel_registration(conn, registration_id, identity.subject,
                                                      now())
        return {"registration": present(cancelled),
                "promoted": [present(r) for r in promoted
                             if identity.may_access_structure(r["structure_id"])]}


@blp.route("/registrations/<int:registration_id>/survey")
class RegistrationSurvey(MethodView):
    @registration_scope
    @blp.arguments(SurveyInSchema)
    @blp.response(201, RegistrationOutSchema)
    def post(self, payload, registration_id):
        """Répondre au questionnaire de satisfaction (une fois, après la session)."""
        readable_registration(registration_id)
        with resources().db.transaction() as conn:
            registration = record_survey(conn, registration_id, payload["score"],
                                         payload["comment"], now())
        return present(registration)


@blp.route("/registrations/<int:registration_id>/certificate.pdf")
class RegistrationCertificate(MethodView):
    @registration_scope
    @blp.doc(responses={"200": {"description": "Attestation de présence (PDF).",
                                "content": {"application/pdf": {
                                    "schema": {"type": "string", "format": "binary"}}}}})
    def get(self, registration_id):
        """L'attestation de présence d'une personne présente (PDF)."""
        readable_registration(registration_id)
        with resources().db.transaction() as conn:
            data = store.certificate_data(conn, registration_id)
        refusal = rules.certificate_refusal(participant_facts(
            {"status": data["status"], "attended": data["attended"],
             "surveyed_at": data["surveyed_at"]}))
        if refusal:
            abort(409, message=refusal)
        pdf = certificate_pdf(data, now().astimezone(PARIS).date())
        return Response(pdf, content_type="application/pdf", headers={
            "Content-Disposition":
                f'inline; filename="attestation-formation-{registration_id}.pdf"'})
