"""Groupements solidaires: partner suggestions, invitations and answers, roles and shares."""

from __future__ import annotations

from decimal import Decimal

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import current_identity, resources, staff_only, structure_in_path

from ..convert import structure_from_document
from ..domain.consortium import (ConsortiumRole, Member, consortium_errors, consortium_kind,
                                 split_amount)
from ..domain.partners import suggest_partners
from ..store import cases as case_store
from ..store import consortium as store
from ..store import structures as structure_store
from .access import case_context, case_scope, invalid, readable_case, readable_structure
from .consortium_schemas import (AnswerInSchema, CompositionInSchema, ConsortiumOutSchema,
                                 InvitationInSchema, InvitationOutSchema, MemberOutSchema,
                                 PartnerSuggestionSchema, SuggestionQuerySchema)

blp = Blueprint("consortium", __name__, url_prefix="/api",
                description="Groupements solidaires : partenaires, invitations, rôles et parts")


def _label(member: dict) -> str:
    return f"{member['legal_name']} (n° {member['structure_id']})"


def _domain_members(entries: list[dict]) -> list[Member]:
    return [Member(_label(m), ConsortiumRole(m["role"]), Decimal(m["share_percent"]))
            for m in entries]


def consortium_view(case: dict) -> dict:
    with resources().db.transaction() as conn:
        members = store.members(conn, case["id"])
        case = case_store.get_case(conn, case["id"])
    # The groupement as composed: the members given a role and a share.
    formed = [m for m in members if m["share_percent"] is not None]
    amounts = None
    if case["consortium_formed_at"] and case["outcome_amount"] is not None:
        domain = _domain_members(formed)
        if not consortium_errors(domain):
            by_label = split_amount(domain, case["outcome_amount"])
            amounts = {str(m["structure_id"]): by_label[_label(m)] for m in formed}
    kind = None
    if case["consortium_formed_at"]:
        kind = consortium_kind(_domain_members(formed))
    return {"case_id": case["id"], "kind": kind, "formed_at": case["consortium_formed_at"],
            "members": members, "amounts": amounts}


def _lot_errors(case: dict, entries: list[dict]) -> list[str]:
    """Each lot held by one partner at most, and only lots the case answers (or the
    tender's)."""
    from ..store import tenders as tender_store

    with resources().db.transaction() as conn:
        tender = tender_store.get_tender(conn, case["tender_id"]) if case["tender_id"] else None
    known = set(case["lot_numbers"] or []) or (
        {str(lot["id"]) for lot in tender["lots"]} if tender else set()) or {"1"}
    errors, holder = [], {}
    for entry in entries:
        for lot in entry.get("lot_numbers") or []:
            if lot not in known:
                errors.append(f"Le lot {lot} n'est pas un lot de ce dossier.")
            elif lot in holder and holder[lot] != entry["structure_id"]:
                errors.append(f"Le lot {lot} est attribué à deux structures.")
            holder[lot] = entry["structure_id"]
    return errors


@blp.route("/cases/<int:case_id>/partners/suggestions")
class PartnerSuggestions(MethodView):
    @staff_only
    @blp.arguments(SuggestionQuerySchema, location="query")
    @blp.response(200, PartnerSuggestionSchema(many=True))
    def get(self, query, case_id):
        """Structures qui complètent la structure pilote (lots, capacités), notées et expliquées."""
        case = readable_case(case_id)
        with resources().db.transaction() as conn:
            context = case_context(conn, case)
            documents = {d["id"]: d for d in structure_store.all_structures(conn)}
        candidates = [structure_from_document(d) for i, d in documents.items()
                      if i != case["structure_id"]]
        ranked = suggest_partners(context.structure, context.tender, candidates,
                                  lot_numbers=context.lot_numbers or None, limit=query["limit"])
        return [{"structure": documents[int(s.structure.id)], "score": s.score,
                 "covered_lots": list(s.covered_lots), "suggested_role": s.suggested_role.value,
                 "suggested_role_label": s.suggested_role.label, "reasons": list(s.reasons)}
                for s in ranked]


@blp.route("/cases/<int:case_id>/consortium")
class Consortium(MethodView):
    @case_scope
    @blp.response(200, ConsortiumOutSchema)
    def get(self, case_id):
        """Le groupement du dossier : membres, réponses, rôles, parts (et montants si gagné)."""
        return consortium_view(readable_case(case_id))

    @staff_only
    @blp.arguments(CompositionInSchema)
    @blp.response(200, ConsortiumOutSchema)
    def put(self, payload, case_id):
        """Fixer les rôles et les parts : un seul mandataire, parts à 100 %, conjoint ou
        solidaire ; seuls la structure pilote et les partenaires ayant accepté en font partie."""
        case = readable_case(case_id)
        entries = payload["members"]
        with resources().db.transaction() as conn:
            known = {m["structure_id"]: m for m in store.members(conn, case_id)}
            errors = [f"La structure n° {e['structure_id']} n'a pas accepté d'invitation pour ce "
                      "dossier." for e in entries
                      if known.get(e["structure_id"], {}).get("status") not in ("lead", "accepted")]
            if not errors:
                labelled = [{**e, "legal_name": known[e["structure_id"]]["legal_name"]}
                            for e in entries]
                errors = consortium_errors(_domain_members(labelled))
            if not errors:
                errors = _lot_errors(case, entries)
            if errors:
                invalid({"members": errors})
            store.set_composition(conn, case_id, entries)
        return consortium_view(case)


@blp.route("/cases/<int:case_id>/consortium/invitations")
class Invitations(MethodView):
    @staff_only
    @blp.arguments(InvitationInSchema)
    @blp.response(201, MemberOutSchema)
    def post(self, payload, case_id):
        """Inviter une structure partenaire dans le groupement du dossier."""
        identity = current_identity()
        case = readable_case(case_id)
        if payload["structure_id"] == case["structure_id"]:
            invalid({"structure_id": ["La structure pilote fait déjà partie du groupement."]})
        try:
            with resources().db.transaction() as conn:
                if structure_store.get_structure(conn, payload["structure_id"]) is None:
                    invalid({"structure_id": [f"Structure {payload['structure_id']} inconnue du "
                                              "registre."]})
                return store.invite(conn, case, payload["structure_id"], payload["role"],
                                    payload["message"], identity.subject)
        except store.AlreadyInvited:
            abort(409, message="Cette structure est déjà invitée dans ce groupement.")


@blp.route("/cases/<int:case_id>/consortium/invitations/<int:structure_id>/answer")
class InvitationAnswer(MethodView):
    @structure_in_path("Invitation introuvable.")
    @blp.arguments(AnswerInSchema)
    @blp.response(200, MemberOutSchema)
    def post(self, payload, case_id, structure_id):
        """Répondre à une invitation (la structure invitée, ou un conseiller pour elle)."""
        with resources().db.transaction() as conn:
            case = case_store.get_case(conn, case_id)
            invited = case and store.member(conn, case_id, structure_id)
            if not invited or invited["status"] == "lead":
                abort(404, message="Invitation introuvable.")
            answered = store.answer(conn, case, structure_id, payload["accepted"],
                                    payload["comment"])
            if answered is None:
                abort(409, message="Cette invitation a déjà reçu une réponse.")
            return answered


@blp.route("/structures/<int:structure_id>/invitations")
class StructureInvitations(MethodView):
    @structure_in_path()
    @blp.response(200, InvitationOutSchema(many=True))
    def get(self, structure_id):
        """Les groupements auxquels la structure est invitée."""
        readable_structure(structure_id)
        with resources().db.transaction() as conn:
            return store.invitations_of(conn, structure_id)
