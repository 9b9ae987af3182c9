"""Members' requests to change their structure's official details (raison sociale, SIRET,
legal form, category, kind of SIAE), and the advisors' decisions: an approval applies the
change (``structure.updated``, which veille's and notifications' copies follow) and both
decisions are written to the structure's audit trail."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import current_identity, resources, staff_only, structure_in_path

from ..domain.official_changes import NOTHING_CHANGES, describe, field_label, official_changes
from ..store import audit
from ..store import change_requests as store
from ..store import structures as structure_store
from .access import readable_structure
from .change_requests_schemas import (ChangeRequestInSchema, ChangeRequestOutSchema,
                                      ChangeRequestQuerySchema, RejectionSchema)
from .structures_routes import EDITABLE, checked, duplicate

blp = Blueprint("change_requests", __name__, url_prefix="/api",
                description="Demandes de modification des champs officiels d'une structure")

NOT_PENDING = "Cette demande a déjà été traitée."


def record_with(current: dict, changes: dict) -> dict:
    """The structure's record with ``changes`` applied, validated by the domain's rules."""
    return checked({**{name: current[name] for name in EDITABLE}, **changes})


@blp.route("/structures/<int:structure_id>/change-requests")
class StructureChangeRequests(MethodView):
    @structure_in_path()
    @blp.response(200, ChangeRequestOutSchema(many=True))
    def get(self, structure_id):
        """Les demandes de modification de la structure, les plus récentes d'abord."""
        readable_structure(structure_id)
        with resources().db.transaction() as conn:
            return store.of_structure(conn, structure_id)

    @structure_in_path()
    @blp.arguments(ChangeRequestInSchema)
    @blp.response(201, ChangeRequestOutSchema)
    def post(self, payload, structure_id):
        """Demander la modification de champs officiels (membre de la structure ou conseiller) ;
        elle s'applique une fois approuvée. Une seule demande en attente par structure (409)."""
        current = readable_structure(structure_id)
        comment = payload.pop("comment", None)
        data = record_with(current, payload)
        changes = official_changes(current, data)
        if not changes:
            abort(422, message=NOTHING_CHANGES)
        other = None
        with resources().db.transaction() as conn:
            if "siret" in changes:
                other = structure_store.id_of_siret(conn, changes["siret"])
            if other is None:
                try:
                    created = store.create(conn, structure_id, changes,
                                           {name: current[name] for name in changes}, comment,
                                           current_identity().subject)
                except store.AlreadyPending:
                    abort(409, message="Une demande de modification attend déjà la décision "
                                       "d'un conseiller pour cette structure.")
                audit.record(conn, "structure", structure_id, "official_change_requested",
                             "Modification demandée : " + describe(current, changes) + ".",
                             current_identity().subject, {"request_id": created["id"]})
                return created
        duplicate(structure_store.DuplicateSiret(other), changes["siret"])


@blp.route("/change-requests")
class ChangeRequests(MethodView):
    @staff_only
    @blp.arguments(ChangeRequestQuerySchema, location="query")
    @blp.response(200, ChangeRequestOutSchema(many=True))
    def get(self, query):
        """Les demandes de toutes les structures (par défaut celles en attente, la plus ancienne
        d'abord)."""
        with resources().db.transaction() as conn:
            return store.listed(conn, query["status"], query["limit"], query["offset"])


def pending(conn, request_id: int) -> dict:
    found = store.get(conn, request_id, for_update=True)
    if found is None:
        abort(404, message=f"Demande {request_id} introuvable.")
    if found["status"] != "pending":
        abort(409, message=NOT_PENDING)
    return found


@blp.route("/change-requests/<int:request_id>/approve")
class Approval(MethodView):
    @staff_only
    @blp.response(200, ChangeRequestOutSchema)
    def post(self, request_id):
        """Approuver la demande : la fiche prend les valeurs demandées (refusé en 422 si elles
        ne sont plus cohérentes avec la fiche, en 409 si le SIRET est pris entre-temps)."""
        decider = current_identity().subject
        try:
            with resources().db.transaction() as conn:
                asked = pending(conn, request_id)
                current = structure_store.get_structure(conn, asked["structure_id"])
                data = record_with(current, asked["changes"])
                structure_store.update_structure(conn, current["id"], data)
                decided = store.decide(conn, request_id, "approved", decider, None)
                audit.record(conn, "structure", current["id"], "official_change_approved",
                             "Modification approuvée : " + describe(current, asked["changes"])
                             + ".", decider,
                             {"request_id": request_id, "requested_by": asked["requested_by"],
                              "requested_at": asked["requested_at"].isoformat(),
                              "parts": [field_label(name) for name in asked["changes"]]})
                return decided
        except structure_store.DuplicateSiret as error:
            duplicate(error, asked["changes"]["siret"])


@blp.route("/change-requests/<int:request_id>/reject")
class Rejection(MethodView):
    @staff_only
    @blp.arguments(RejectionSchema)
    @blp.response(200, ChangeRequestOutSchema)
    def post(self, payload, request_id):
        """Refuser la demande, avec son motif (la fiche ne change pas)."""
        decider = current_identity().subject
        with resources().db.transaction() as conn:
            asked = pending(conn, request_id)
            decided = store.decide(conn, request_id, "rejected", decider, payload["reason"])
            audit.record(conn, "structure", asked["structure_id"], "official_change_rejected",
                         "Modification refusée (" + ", ".join(
                             field_label(name) for name in asked["changes"])
                         + ") : " + payload["reason"], decider,
                         {"request_id": request_id, "requested_by": asked["requested_by"],
                          "requested_at": asked["requested_at"].isoformat()})
            return decided
