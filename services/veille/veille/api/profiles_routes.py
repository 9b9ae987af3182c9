"""Alert profiles, matches per structure and "not interested": a member sees only their own."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort
from psycopg.errors import UniqueViolation

from centrale.cpv import cpv_prefix
from centrale.web import (current_identity, member_scope, open_to_members, resources,
                          scoped_structure, staff_only, structure_in_path)

from ..exports import FeedSigner, feed_path
from ..matcher import Matcher
from ..store import cpv as cpv_store
from ..store import matches as match_store
from ..store import profiles as profile_store
from ..store import structures as structure_store
from ..store import tenders as tender_store
from ..store.quarantine import list_quarantine
from .profiles_schemas import (CpvOutSchema, CpvQuerySchema, DismissInSchema, MatchOutSchema,
                               MatchQuerySchema, ProfileInSchema, ProfileOutSchema,
                               ProfileQuerySchema, QuarantineOutSchema)

blp = Blueprint("profiles", __name__, url_prefix="/api",
                description="Profils d'alerte, rapprochements, quarantaine, CPV")


def structure_for_write(requested: int | None) -> int:
    """The structure a profile belongs to: a member's own, or the one staff names."""
    identity = current_identity()
    if identity.is_staff:
        if requested is None:
            abort(422, message="Précisez la structure.",
                  messages={"json": {"structure_id": ["Ce champ est obligatoire."]}})
        return requested
    if requested not in (None, identity.structure_id):
        abort(403, message="Vous ne pouvez gérer que les profils de votre structure.")
    return identity.structure_id


def _profile_structure(profile_id: int, **_) -> int | None:
    with resources().db.transaction() as conn:
        profile = profile_store.get_profile(conn, profile_id)
    return None if profile is None else profile["structure_id"]


profile_scope = member_scope(_profile_structure, "Profil {profile_id} introuvable.")


def readable_profile(conn, profile_id: int) -> dict:
    profile = profile_store.get_profile(conn, profile_id)
    if profile is None:
        abort(404, message=f"Profil {profile_id} introuvable.")
    return profile


def known_structure(conn, structure_id: int) -> None:
    """A profile is for a structure of the registry, as veille's copy of it knows it (fed by
    ``structure.registered``): 422 otherwise (issue 16, point 10)."""
    if not structure_store.is_known(conn, structure_id):
        abort(422, message="Cette structure n'est pas inscrite au registre.",
              messages={"json": {"structure_id": [
                  f"La structure {structure_id} n'est pas inscrite au registre des structures :"
                  " inscrivez-la d'abord."]}})


def profile_values(conn, payload: dict, structure_id: int) -> dict:
    known_structure(conn, structure_id)
    values = {**payload, "structure_id": structure_id,
              "cpv_prefixes": sorted({cpv_prefix(p) for p in payload["cpv_prefixes"]}),
              "departments": sorted(set(payload["departments"])),
              "keywords": [k.strip() for k in payload["keywords"]]}
    empty = [k for k, lexemes in zip(values["keywords"],
                                     profile_store.keyword_lexemes(conn, values["keywords"]))
             if not lexemes]
    if empty:
        abort(422, message="Certains mots-clés sont trop généraux.",
              messages={"json": {"keywords": [f"« {k} » ne contient aucun mot significatif."
                                              for k in empty]}})
    if not (values["cpv_prefixes"] or values["keywords"] or values["departments"]
            or values["min_value"] is not None or values["max_value"] is not None
            or values["reserved_only"] or values["clauses"]):
        abort(422, message="Un profil doit dire ce qu'il cherche.",
              messages={"json": {"_schema": [
                  "Indiquez au moins un critère : codes CPV, mots-clés, départements, montant,"
                  " marchés réservés ou clauses sociales."]}})
    return values


def with_feed(profile: dict) -> dict:
    signer = FeedSigner(resources().settings.require_token_secret())
    return {**profile, "feed_path": feed_path(signer, profile["id"])}


def matched_at_once(conn, profile: dict) -> dict:
    """The profile with the number of the territory's open tenders it matches now (each new
    one alerted at once, as a new tender would be)."""
    return with_feed({**profile, "found": Matcher().match_new_profile(conn, profile)})


@blp.route("/profiles")
class Profiles(MethodView):
    @open_to_members
    @blp.arguments(ProfileQuerySchema, location="query")
    @blp.response(200, ProfileOutSchema(many=True))
    def get(self, query):
        """Les profils d'alerte (ceux de sa structure pour un membre)."""
        structure_id = scoped_structure(query["structure_id"])
        with resources().db.transaction() as conn:
            return [with_feed(p) for p in profile_store.list_profiles(conn, structure_id)]

    @open_to_members
    @blp.arguments(ProfileInSchema)
    @blp.response(201, ProfileOutSchema)
    def post(self, payload):
        """Créer un profil d'alerte."""
        structure_id = structure_for_write(payload["structure_id"])
        try:
            with resources().db.transaction() as conn:
                return matched_at_once(conn, profile_store.create_profile(
                    conn, profile_values(conn, payload, structure_id)))
        except UniqueViolation:
            abort(409, message="Cette structure a déjà un profil de ce nom.")


@blp.route("/profiles/<int:profile_id>")
class ProfileDetail(MethodView):
    @profile_scope
    @blp.response(200, ProfileOutSchema)
    def get(self, profile_id):
        """Un profil d'alerte."""
        with resources().db.transaction() as conn:
            return with_feed(readable_profile(conn, profile_id))

    @profile_scope
    @blp.arguments(ProfileInSchema)
    @blp.response(200, ProfileOutSchema)
    def put(self, payload, profile_id):
        """Modifier un profil d'alerte."""
        try:
            with resources().db.transaction() as conn:
                profile = readable_profile(conn, profile_id)
                values = profile_values(conn, payload, profile["structure_id"])
                return matched_at_once(conn, profile_store.update_profile(conn, profile_id,
                                                                          values))
        except UniqueViolation:
            abort(409, message="Cette structure a déjà un profil de ce nom.")

    @profile_scope
    @blp.response(204)
    def delete(self, profile_id):
        """Supprimer un profil d'alerte."""
        with resources().db.transaction() as conn:
            readable_profile(conn, profile_id)
            profile_store.delete_profile(conn, profile_id)


@blp.route("/structures/<int:structure_id>/matches")
class StructureMatches(MethodView):
    @structure_in_path()
    @blp.arguments(MatchQuerySchema, location="query")
    @blp.response(200, MatchOutSchema(many=True))
    @blp.paginate()
    def get(self, query, structure_id, pagination_parameters):
        """Les appels d'offres signalés à une structure, un par appel d'offres, avec les
        profils qui l'ont trouvé, leurs raisons et le détail de la note."""
        with resources().db.transaction() as conn:
            rows, total = match_store.list_alerts(
                conn, structure_id, query["include_dismissed"],
                pagination_parameters.page_size, pagination_parameters.first_item)
        pagination_parameters.item_count = total
        return rows


@blp.route("/structures/<int:structure_id>/matches/<int:tender_id>/dismiss")
class DismissMatch(MethodView):
    @structure_in_path()
    @blp.arguments(DismissInSchema)
    @blp.response(204)
    def post(self, payload, structure_id, tender_id):
        """« Pas intéressé » : la structure écarte cet appel d'offres, avec sa raison."""
        with resources().db.transaction() as conn:
            if tender_store.get_tender(conn, tender_id) is None:
                abort(404, message=f"Appel d'offres {tender_id} introuvable.")
            match_store.dismiss(conn, tender_id, structure_id, payload["reason"],
                                current_identity().subject)

    @structure_in_path()
    @blp.response(204)
    def delete(self, structure_id, tender_id):
        """Revenir sur un « pas intéressé » : l'appel d'offres reparaît dans la liste."""
        with resources().db.transaction() as conn:
            if not match_store.undo_dismissal(conn, tender_id, structure_id):
                abort(404, message="Cet appel d'offres n'a pas été écarté.")


@blp.route("/quarantine")
class Quarantine(MethodView):
    @staff_only
    @blp.response(200, QuarantineOutSchema(many=True))
    @blp.paginate()
    def get(self, pagination_parameters):
        """Les avis illisibles mis de côté, avec leur raison (conseillers)."""
        with resources().db.transaction() as conn:
            rows, total = list_quarantine(conn, pagination_parameters.page_size,
                                          pagination_parameters.first_item)
        pagination_parameters.item_count = total
        return rows


@blp.route("/cpv")
class Cpv(MethodView):
    @open_to_members
    @blp.arguments(CpvQuerySchema, location="query")
    @blp.response(200, CpvOutSchema(many=True))
    def get(self, query):
        """Les codes CPV commençant par un préfixe, avec leur libellé."""
        with resources().db.transaction() as conn:
            return cpv_store.lookup(conn, query["prefix"])
