"""The social-clause facilitator's follow-up (role ``facilitateur``; staff read and write it
too): notes on veille's tenders (hours required, contact at the buyer), which the advisors read
on the tender's page; awarded contracts with a clause, their winner and the hours of insertion
done each month, which ``/api/impact`` adds up. A facilitator reaches nothing else of
accompagnement: cases, structures and the vault stay the advisors' and members' (their routes
are ``staff_only`` or ``member_scope``, which refuse the role)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import current_identity, open_to_roles, resources

from .. import clauses
from ..store import clauses as store
from .clauses_schemas import (ClauseContractInSchema, ClauseContractQuerySchema,
                              ClauseContractSchema, ClauseHoursInSchema, ClauseNoteInSchema,
                              ClauseNoteSchema, ClauseNotesQuerySchema)

blp = Blueprint("clauses", __name__, url_prefix="/api",
                description="Suivi des clauses sociales par le facilitateur")


@blp.route("/tenders/<int:tender_id>/clause-note")
class ClauseNote(MethodView):
    @open_to_roles("facilitateur")
    @blp.response(200, ClauseNoteSchema)
    def get(self, tender_id):
        """La note du facilitateur sur un appel d'offres (heures demandées, contact)."""
        with resources().db.transaction() as conn:
            note = store.note_of(conn, tender_id)
        if note is None:
            abort(404, message=f"Aucune note sur l'appel d'offres {tender_id}.")
        return note

    @open_to_roles("facilitateur")
    @blp.arguments(ClauseNoteInSchema)
    @blp.response(200, ClauseNoteSchema)
    def put(self, payload, tender_id):
        """Annoter un appel d'offres : heures d'insertion demandées, contact chez l'acheteur."""
        with resources().db.transaction() as conn:
            return store.save_note(conn, tender_id, payload, current_identity().subject)


@blp.route("/clause-notes")
class ClauseNotes(MethodView):
    @open_to_roles("facilitateur")
    @blp.arguments(ClauseNotesQuerySchema, location="query")
    @blp.response(200, ClauseNoteSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Les notes des appels d'offres demandés (ceux d'une page de la liste)."""
        with resources().db.transaction() as conn:
            rows, total = store.notes_of(conn, query["tender_id"],
                                         pagination_parameters.page_size,
                                         pagination_parameters.first_item)
        pagination_parameters.item_count = total
        return rows


@blp.route("/clause-contracts")
class Contracts(MethodView):
    @open_to_roles("facilitateur")
    @blp.arguments(ClauseContractQuerySchema, location="query")
    @blp.response(200, ClauseContractSchema(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        """Les marchés attribués suivis pour leur clause, avec les heures faites par mois."""
        with resources().db.transaction() as conn:
            rows, total = store.contracts(conn, query["tender_id"],
                                          pagination_parameters.page_size,
                                          pagination_parameters.first_item)
        pagination_parameters.item_count = total
        return rows

    @open_to_roles("facilitateur")
    @blp.arguments(ClauseContractInSchema)
    @blp.response(201, ClauseContractSchema)
    def post(self, payload):
        """Suivre un marché attribué portant une clause (son titulaire, les heures dues) ; les
        structures d'insertion qui pourraient sous-traiter pour lui en sont prévenues."""
        with resources().db.transaction() as conn:
            return clauses.follow_contract(conn, payload, current_identity().subject)


@blp.route("/clause-contracts/<int:contract_id>")
class Contract(MethodView):
    @open_to_roles("facilitateur")
    @blp.response(200, ClauseContractSchema)
    def get(self, contract_id):
        """Un marché suivi et ses heures par mois."""
        with resources().db.transaction() as conn:
            found = store.contract(conn, contract_id)
        if found is None:
            abort(404, message=f"Marché suivi {contract_id} introuvable.")
        return found


@blp.route("/clause-contracts/<int:contract_id>/hours")
class ContractHours(MethodView):
    @open_to_roles("facilitateur")
    @blp.arguments(ClauseHoursInSchema)
    @blp.response(200, ClauseContractSchema)
    def put(self, payload, contract_id):
        """Les heures d'insertion faites dans un mois (saisies de nouveau, elles remplacent
        celles du mois)."""
        with resources().db.transaction() as conn:
            return clauses.record_month(conn, contract_id, payload["month"], payload["hours"],
                                        current_identity().subject)
