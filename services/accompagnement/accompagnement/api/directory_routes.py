"""The public directory: the listed structures' cards (anyone signed in, the portail asking for
its visitors with its service token), and each structure's own card and consent (its members,
or staff)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.cpv import cpv_prefix
from centrale.territory import InvalidDepartment, department_code
from centrale.web import current_identity, open_to_signed_in, resources, structure_in_path

from .. import directory
from ..store import directory as store
from .access import invalid
from .directory_schemas import (CardInSchema, CardSchema, ConsentInSchema, DirectoryPageSchema,
                                DirectoryQuerySchema, PublicCardSchema)

blp = Blueprint("directory", __name__, url_prefix="/api",
                description="Annuaire public des structures (celles qui y consentent)")


@blp.route("/directory")
class Directory(MethodView):
    @open_to_signed_in
    @blp.arguments(DirectoryQuerySchema, location="query")
    @blp.response(200, DirectoryPageSchema)
    def get(self, query):
        """Chercher dans l'annuaire (texte en français, accents indifférents, et filtres) :
        seules les structures qui y consentent y figurent."""
        if query["departement"]:
            try:
                query["departement"] = department_code(query["departement"])
            except InvalidDepartment as error:
                invalid({"departement": [str(error)]}, "query")
        if query["cpv"]:
            query["cpv"] = cpv_prefix(query["cpv"])
        with resources().db.transaction() as conn:
            items, total = directory.search(conn, query)
            labels = store.listed_labels(conn)
        return {"total": total, "items": items, "labels": labels}


@blp.route("/directory/<int:structure_id>")
class DirectoryCard(MethodView):
    @open_to_signed_in
    @blp.response(200, PublicCardSchema)
    def get(self, structure_id):
        """La fiche publique d'une structure de l'annuaire (404 si elle n'y consent pas)."""
        with resources().db.transaction() as conn:
            return directory.read_public_card(conn, structure_id)


@blp.route("/structures/<int:structure_id>/directory-card")
class OwnCard(MethodView):
    @structure_in_path()
    @blp.response(200, CardSchema)
    def get(self, structure_id):
        """La fiche publique de la structure telle qu'elle est (ou proposée d'après le
        registre), avec son accord et son historique."""
        with resources().db.transaction() as conn:
            return directory.read_card(conn, structure_id)

    @structure_in_path()
    @blp.arguments(CardInSchema)
    @blp.response(200, CardSchema)
    def put(self, payload, structure_id):
        """Écrire la fiche publique (présentation, activités, territoire, labels, site)."""
        with resources().db.transaction() as conn:
            return directory.save_card(conn, structure_id, payload, current_identity().subject)


@blp.route("/structures/<int:structure_id>/directory-consent")
class Consent(MethodView):
    @structure_in_path()
    @blp.arguments(ConsentInSchema)
    @blp.response(200, CardSchema)
    def put(self, payload, structure_id):
        """Donner ou retirer l'accord de la structure pour figurer dans l'annuaire public."""
        identity = current_identity()
        with resources().db.transaction() as conn:
            return directory.set_consent(conn, structure_id, payload["given"],
                                         identity.subject, identity.role)
