"""Buyers' needs: a buyer posts one and sees only its own and their answers; an advisor
validates it (it becomes a tender of source ``centrale``, matched and alerted like any other)
or sends it back with a reason; a structure answers « intéressé » and sees only its own
answers; the buyer records whom it chose."""

from __future__ import annotations

from datetime import datetime

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale import files as files_rules
from centrale.web import (buyer_scope, current_identity, member_scope,
                          open_to_members, open_to_roles, open_to_signed_in, resources,
                          scoped_structure, staff_only)

from ..domain import needs
from ..ingest import PARIS, perimeter_of
from ..store import needs as store
from .needs_schemas import (AnswerFormSchema, AnswerOutSchema, AnswerQuerySchema,
                            AttachmentOutSchema, CaseLinkInSchema, FileSchema, FiguresQuerySchema,
                            FiguresSchema, NeedInSchema,
                            NeedOutSchema, NeedQuerySchema, OutcomeInSchema, ReviewInSchema,
                            SuggestionSchema, SuggestQuerySchema)

blp = Blueprint("needs", __name__, url_prefix="/api",
                description="Besoins déposés par les acheteurs et réponses des structures")

MAX_FILE_BYTES = 2 * 1024 * 1024


def _owner(need_id: int, **_) -> str | None:
    with resources().db.transaction() as conn:
        return store.owner_of(conn, need_id)


need_scope = buyer_scope(_owner, "Besoin {need_id} introuvable.")


def _answer_structure(answer_id: int, **_) -> int | None:
    with resources().db.transaction() as conn:
        return store.answer_structure(conn, answer_id)


answer_scope = member_scope(_answer_structure, "Réponse {answer_id} introuvable.")


def _need(conn, need_id: int, lock: bool = False) -> dict:
    need = store.get_need(conn, need_id, lock=lock)
    if need is None:
        abort(404, message=f"Besoin {need_id} introuvable.")
    return need


def _checked(payload: dict) -> dict:
    errors = needs.need_errors(needs.NeedInput(
        payload["object"], payload["description"], tuple(payload["cpv_codes"]),
        payload["departement"], payload["place"], tuple(payload["lots"]), payload["deadline"],
        payload["budget_band"], payload["reservation"], payload["social_clause"],
        payload["insertion_hours"]), datetime.now(PARIS))
    if errors:
        abort(422, message="Le besoin ne peut pas être enregistré tel quel.",
              messages={"json": errors})
    return payload


def _file(upload) -> tuple[str, str, bytes] | None:
    """A file sent with a form: its cleaned name, the type its bytes show (never the one
    claimed: centrale.files) and its content; refused when too large or of a type not
    accepted."""
    if upload is None or not upload.filename:
        return None
    content = upload.read(MAX_FILE_BYTES + 1)
    if len(content) > MAX_FILE_BYTES:
        abort(413, message=f"Le fichier dépasse la taille admise ({MAX_FILE_BYTES // 1024} Kio).")
    try:
        content_type = files_rules.checked_type(content)
    except files_rules.RefusedFile as refusal:
        abort(422, message=str(refusal), messages={"files": {"file": [str(refusal)]}})
    return files_rules.safe_filename(upload.filename, content_type), content_type, content


def _served(stored: dict, fallback_name: str) -> Response:
    content = bytes(stored["content"])
    download = files_rules.served(content, stored["filename"], fallback_name)
    return Response(content, mimetype=download.mimetype, headers=download.headers)


@blp.route("/needs")
class Needs(MethodView):
    @open_to_roles("acheteur")
    @blp.arguments(NeedQuerySchema, location="query")
    @blp.response(200, NeedOutSchema(many=True))
    def get(self, query):
        """Les besoins : les siens pour un acheteur, tous pour un conseiller."""
        identity = current_identity()
        owner = None if identity.is_staff else identity.subject
        with resources().db.transaction() as conn:
            return store.list_needs(conn, owner, query["status"])

    @open_to_roles("acheteur")
    @blp.arguments(NeedInSchema)
    @blp.response(201, NeedOutSchema)
    def post(self, payload):
        """Déposer un besoin ; il attend la validation d'un conseiller."""
        identity = current_identity()
        if not identity.is_buyer or not identity.email:
            abort(403, message="Seul un acheteur dépose un besoin, depuis son compte.")
        values = {**_checked(payload), "buyer_email": identity.email}
        with resources().db.transaction() as conn:
            return store.create_need(conn, identity.subject, values)


@blp.route("/needs/figures")
class Figures(MethodView):
    @staff_only
    @blp.arguments(FiguresQuerySchema, location="query")
    @blp.response(200, FiguresSchema)
    def get(self, query):
        """L'impact des besoins d'acheteurs sur une période : déposés, publiés, réponses,
        structures retenues et montants."""
        with resources().db.transaction() as conn:
            return store.figures(conn, query["start"], query["end"], query["departement"])


@blp.route("/needs/suggestions")
class Suggestions(MethodView):
    @open_to_roles("acheteur")
    @blp.arguments(SuggestQuerySchema, location="query")
    @blp.response(200, SuggestionSchema(many=True))
    def get(self, query):
        """Les codes CPV que suggèrent les mots d'un besoin."""
        return needs.suggested_cpv(query["text"])


@blp.route("/needs/<int:need_id>")
class Need(MethodView):
    @need_scope
    @blp.response(200, NeedOutSchema)
    def get(self, need_id):
        """Un besoin (son acheteur, ou un conseiller)."""
        with resources().db.transaction() as conn:
            return _need(conn, need_id)

    @need_scope
    @blp.arguments(NeedInSchema)
    @blp.response(200, NeedOutSchema)
    def put(self, payload, need_id):
        """Modifier un besoin en attente ou renvoyé : il repart en validation."""
        values = _checked(payload)
        with resources().db.transaction() as conn:
            need = _need(conn, need_id, lock=True)
            if not needs.can_edit(need["status"]):
                abort(409, message="Un besoin publié ne se modifie plus.")
            return store.update_need(conn, need_id, values)


@blp.route("/needs/<int:need_id>/review")
class Review(MethodView):
    @staff_only
    @blp.arguments(ReviewInSchema)
    @blp.response(200, NeedOutSchema)
    def post(self, payload, need_id):
        """Valider un besoin (il devient un appel d'offres de la veille) ou le renvoyer à
        l'acheteur avec la raison."""
        res = resources()
        by = current_identity().subject
        with res.db.transaction() as conn:
            need = _need(conn, need_id, lock=True)
            refusal = needs.review_refusal(need["status"])
            if refusal:
                abort(409, message=refusal)
            if payload["decision"] == "return":
                return store.send_back(conn, need, by, payload["reason"].strip())
            if need["deadline"] <= datetime.now(PARIS):
                abort(409, message="La date limite de réponse est passée : renvoyez le besoin"
                                   " à l'acheteur pour qu'il la change.")
            return store.publish(conn, need, by, perimeter_of(res.settings),
                                 datetime.now(PARIS).date())


@blp.route("/needs/<int:need_id>/attachments")
class Attachments(MethodView):
    @need_scope
    @blp.arguments(FileSchema, location="files")
    @blp.response(201, AttachmentOutSchema)
    def post(self, files, need_id):
        """Joindre une pièce au besoin (tant qu'il n'est pas publié)."""
        upload = _file(files.get("file"))
        if upload is None:
            abort(422, message="Choisissez un fichier.", messages={"files": {"file": ["Requis."]}})
        with resources().db.transaction() as conn:
            need = _need(conn, need_id, lock=True)
            if not needs.can_edit(need["status"]):
                abort(409, message="Un besoin publié ne change plus de pièces.")
            return store.add_attachment(conn, need_id, *upload)


@blp.route("/needs/<int:need_id>/attachments/<int:attachment_id>")
class AttachmentContent(MethodView):
    @open_to_signed_in
    @blp.response(200, content_type="application/octet-stream")
    def get(self, need_id, attachment_id):
        """Une pièce du besoin : pour son acheteur et les conseillers, et pour tous une fois
        le besoin publié (c'est alors un appel d'offres)."""
        identity = current_identity()
        with resources().db.transaction() as conn:
            need = store.get_need(conn, need_id)
            visible = need is not None and (
                identity.is_staff or need["owner"] == identity.subject
                or need["status"] in ("published", "decided"))
            stored = store.get_attachment(conn, need_id, attachment_id) if visible else None
        if stored is None:
            abort(404, message=f"Pièce {attachment_id} introuvable.")
        return _served(stored, f"piece-{attachment_id}")


@blp.route("/needs/<int:need_id>/answers")
class NeedAnswers(MethodView):
    @need_scope
    @blp.response(200, AnswerOutSchema(many=True))
    def get(self, need_id):
        """Les réponses des structures à un besoin (son acheteur, ou un conseiller)."""
        with resources().db.transaction() as conn:
            _need(conn, need_id)
            return store.answers(conn, need_id=need_id)

    @open_to_members
    @blp.arguments(AnswerFormSchema, location="form")
    @blp.arguments(FileSchema, location="files")
    @blp.response(201, AnswerOutSchema)
    def post(self, form, files, need_id):
        """Répondre « intéressé » à un besoin publié, avec un message et un devis facultatif
        (formulaire multipart) ; une réponse par structure."""
        identity = current_identity()
        if not identity.is_member:
            abort(403, message="Une structure répond depuis son propre compte.")
        quote = _file(files.get("file"))
        with resources().db.transaction() as conn:
            need = store.get_need(conn, need_id)
            if need is None or need["status"] not in ("published", "decided"):
                abort(404, message=f"Besoin {need_id} introuvable.")
            refusal = needs.answer_refusal(need["status"], need["deadline"], datetime.now(PARIS))
            if refusal:
                abort(409, message=refusal)
            answer = store.add_answer(conn, need, identity.structure_id,
                                      form["message"].strip(), quote, identity.subject,
                                      identity.email)
            if answer is None:
                abort(409, message="Votre structure a déjà répondu à ce besoin.")
            return answer


@blp.route("/needs/<int:need_id>/answers/<int:answer_id>/quote")
class AnswerQuote(MethodView):
    @need_scope
    @blp.response(200, content_type="application/octet-stream")
    def get(self, need_id, answer_id):
        """Le devis joint à une réponse (l'acheteur du besoin, ou un conseiller)."""
        with resources().db.transaction() as conn:
            stored = store.quote_of(conn, answer_id)
        if stored is None or stored["need_id"] != need_id:
            abort(404, message=f"Devis de la réponse {answer_id} introuvable.")
        return _served(stored, f"devis-{answer_id}")


@blp.route("/needs/<int:need_id>/outcome")
class Outcome(MethodView):
    @need_scope
    @blp.arguments(OutcomeInSchema)
    @blp.response(200, NeedOutSchema)
    def post(self, payload, need_id):
        """Noter le résultat : les structures retenues (avec le montant), les autres non
        retenues ; aucune retenue, le besoin est infructueux."""
        res = resources()
        chosen = {choice["structure_id"]: choice["amount"] for choice in payload["chosen"]}
        with res.db.transaction() as conn:
            need = _need(conn, need_id, lock=True)
            answered = [a["structure_id"] for a in store.answers(conn, need_id=need_id)]
            refusal = needs.outcome_refusal(need["status"], answered, chosen)
            if refusal:
                abort(409, message=refusal)
            if need["status"] == "decided":
                abort(409, message="Le résultat de ce besoin est déjà enregistré.")
            return store.record_outcome(conn, need, chosen, perimeter_of(res.settings),
                                        datetime.now(PARIS).date())


@blp.route("/need-answers")
class StructureAnswers(MethodView):
    @open_to_members
    @blp.arguments(AnswerQuerySchema, location="query")
    @blp.response(200, AnswerOutSchema(many=True))
    def get(self, query):
        """Les réponses d'une structure aux besoins (un membre : les siennes seulement)."""
        structure_id = scoped_structure(query["structure_id"], "les réponses")
        with resources().db.transaction() as conn:
            return store.answers(conn, structure_id=structure_id)


@blp.route("/need-answers/<int:answer_id>/case")
class AnswerCase(MethodView):
    @answer_scope
    @blp.arguments(CaseLinkInSchema)
    @blp.response(200, AnswerOutSchema)
    def put(self, payload, answer_id):
        """Le dossier que la structure a ouvert depuis sa réponse."""
        with resources().db.transaction() as conn:
            store.link_case(conn, answer_id, payload["case_id"])
            return store.get_answer(conn, answer_id)
