"""The answer's file as a checklist: made from the procedure and the structure's vault, then
ticked item by item. Dated documents are checked against the deadline day."""

from __future__ import annotations

from datetime import datetime

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import current_identity, resources, staff_only

from ..domain.checklist import (DocumentKind, ItemStatus, apply_validity, deadline_day,
                                default_checklist, earliest_valid_issue_date, missing_items)
from centrale.french import PARIS
from ..domain.readiness import readiness_warnings
from ..store import diagnoses as diagnosis_store
from ..domain.reservations import Reservation
from ..domain.structures import NON_RCS_LEGAL_FORMS
from ..domain.vault import best_document, fill_from_vault
from ..store import checklists as store
from ..store import vault as vault_store
from .. import workflow_calls
from .access import case_context, case_scope, invalid, readable_case
from .checklist_schemas import ChecklistInSchema, ChecklistOutSchema, ItemPatchSchema

blp = Blueprint("checklist", __name__, url_prefix="/api/cases",
                description="Dossier de réponse : pièces à fournir et leur état")


def _deadline_day(case: dict):
    """The day documents must still be valid: the deadline's, or today without a deadline."""
    if case["deadline"] is not None:
        return deadline_day(case["deadline"])
    return datetime.now(PARIS).date()


def checklist_view(case: dict) -> dict:
    with resources().db.transaction() as conn:
        rows = store.checklist(conn, case["id"])
    if not rows:
        abort(404, message=f"Le dossier {case['id']} n'a pas encore de liste de pièces.")
    day = _deadline_day(case)
    items = apply_validity([store.as_domain(row) for row in rows], day)
    shown = []
    for row, item in zip(rows, items):
        renew_from = None
        if item.status is ItemStatus.EXPIRE and row["expires_on"] is None:
            renew_from = earliest_valid_issue_date(item.kind, day)
        shown.append({**row, "label": item.label, "status": item.status.value,
                      "status_label": item.status.label, "stored_status": row["status"],
                      "valid_until": item.valid_until, "renew_from": renew_from})
    return {"case_id": case["id"], "deadline_day": case["deadline"] and day,
            "complete": not missing_items(items),
            "missing": [item.kind.value for item in missing_items(items)], "items": shown}


def case_warnings(case: dict) -> list[str]:
    """What stands against drafting and depositing the case's answer (domain.readiness)."""
    with resources().db.transaction() as conn:
        diagnosis = diagnosis_store.latest_diagnosis(conn, case["id"])
        rows = store.checklist(conn, case["id"])
    missing = []
    if rows:
        items = apply_validity([store.as_domain(row) for row in rows], _deadline_day(case))
        missing = [item.label for item in missing_items(items)]
    return readiness_warnings(diagnosis["decision"] if diagnosis else None, missing)


@blp.route("/<int:case_id>/checklist")
class Checklist(MethodView):
    @case_scope
    @blp.response(200, ChecklistOutSchema)
    def get(self, case_id):
        """Les pièces du dossier, leur état et leur validité au jour de la date limite."""
        return checklist_view(readable_case(case_id))

    @staff_only
    @blp.arguments(ChecklistInSchema)
    @blp.response(201, ChecklistOutSchema)
    def post(self, payload, case_id):
        """Établir la liste des pièces d'après la procédure, pré-remplie depuis le coffre-fort."""
        identity = current_identity()
        case = readable_case(case_id)
        with resources().db.transaction() as conn:
            if store.checklist(conn, case_id) and not payload["replace"]:
                abort(409, message="La liste des pièces existe déjà (replace: true pour la "
                                   "refaire).")
            context = case_context(conn, case)
            reserved = any(lot.reservation is not Reservation.NONE for lot in context.lots)
            items = default_checklist(
                context.tender.procedure, use_dume=payload["use_dume"],
                price_schedule=DocumentKind(payload["price_schedule"]),
                registered_at_rcs=context.structure.legal_form not in NON_RCS_LEGAL_FORMS,
                reserved=reserved, with_subcontractors=payload["with_subcontractors"])
            documents = [vault_store.as_domain(row)
                         for row in vault_store.list_documents(conn, case["structure_id"])]
            items = fill_from_vault(items, documents, _deadline_day(case))
            chosen = {item.kind: best_document(documents, item.kind) for item in items}
            store.create_checklist(conn, case_id, items,
                                   {kind: int(doc.document_id) for kind, doc in chosen.items()
                                    if doc is not None}, identity.subject)
        workflow_calls.activity(case, identity.subject)
        return checklist_view(case)


@blp.route("/<int:case_id>/checklist/<string:kind>")
class ChecklistItemDetail(MethodView):
    @case_scope
    @blp.arguments(ItemPatchSchema)
    @blp.response(200, ChecklistOutSchema)
    def patch(self, payload, case_id, kind):
        """Cocher ou modifier une pièce ; seul un conseiller la « valide »."""
        identity = current_identity()
        case = readable_case(case_id)
        if payload.get("status") == ItemStatus.VALIDE.value and not identity.is_staff:
            abort(403, message="Seul un conseiller de la Centrale valide une pièce.")
        changes = dict(payload)
        with resources().db.transaction() as conn:
            if store.get_item(conn, case_id, kind) is None:
                abort(404, message=f"Pièce « {kind} » absente de la liste du dossier.")
            if payload.get("document_id") is not None:
                document = vault_store.get_document(conn, case["structure_id"],
                                                    payload["document_id"])
                if document is None:
                    invalid({"document_id": ["Ce document n'est pas dans le coffre-fort de la "
                                             "structure."]})
                changes.setdefault("issued_on", document["issued_on"])
                changes.setdefault("expires_on", document["expires_on"])
                changes.setdefault("status", ItemStatus.FOURNI.value)
            store.update_item(conn, case_id, kind, changes, identity.subject)
        workflow_calls.activity(case, identity.subject)
        return checklist_view(case)
