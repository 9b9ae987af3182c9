"""Cases: open one (a CaseWorkflow starts), list and read them, move them between stages,
assign their advisor, record their outcome."""

from __future__ import annotations

import psycopg
from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import (current_identity, open_to_members, resources, scoped_structure,
                          staff_only)

from ..domain.readiness import deposit_refusal, override_note
from ..domain.stages import Stage
from ..store import audit
from ..store import advisors as advisor_store
from ..store import cases as store
from ..store import structures as structure_store
from ..store import tenders as tender_store
from ..workflows import CaseWorkflow, DeadlineChange, ReminderDays, StageChange
from .. import workflow_calls
from ..config import current_case_settings
from .access import case_scope, invalid, readable_case
from .checklist_routes import case_warnings
from .cases_schemas import (AdvisorAssignmentSchema, CaseDetailSchema, CaseInSchema,
                            CaseLiveStateSchema, CaseOutSchema, CasePatchSchema, CaseQuerySchema,
                            OutcomeInSchema, StageChangeInSchema)

blp = Blueprint("cases", __name__, url_prefix="/api/cases",
                description="Dossiers d'accompagnement")


def _checked_references(conn, payload: dict) -> dict | None:
    """422 unless the structure, the tender, its lots and the advisor exist; the tender row."""
    errors = {}
    if structure_store.get_structure(conn, payload["structure_id"]) is None:
        errors["structure_id"] = [f"Structure {payload['structure_id']} inconnue du registre."]
    tender = None
    if payload.get("tender_id") is not None:
        tender = tender_store.get_tender(conn, payload["tender_id"])
        if tender is None:
            errors["tender_id"] = [f"Consultation {payload['tender_id']} inconnue "
                                   "(pas encore reçue de la veille)."]
        else:
            errors.update(_lot_errors(tender, payload.get("lot_numbers")))
    if payload.get("advisor_id") is not None:
        advisor = advisor_store.get_advisor(conn, payload["advisor_id"])
        if advisor is None or not advisor["active"]:
            errors["advisor_id"] = [f"Conseiller {payload['advisor_id']} inconnu ou inactif."]
    if errors:
        invalid(errors)
    return tender


def _lot_errors(tender: dict | None, lot_numbers: list[str] | None) -> dict:
    """A field error for lot numbers the tender does not have (a tender without lots is "1")."""
    if not lot_numbers:
        return {}
    if tender is None:
        return {"lot_numbers": ["Une demande de devis n'a pas de lots."]}
    known = {str(lot["id"]) for lot in tender["lots"]} or {"1"}
    unknown = [number for number in lot_numbers if number not in known]
    if unknown:
        return {"lot_numbers": [f"Lot(s) inconnu(s) de la consultation : {', '.join(unknown)}."]}
    return {}


@blp.route("")
class Cases(MethodView):
    @open_to_members
    @blp.arguments(CaseQuerySchema, location="query")
    @blp.response(200, CaseOutSchema(many=True))
    def get(self, query):
        """Lister les dossiers (un membre ne voit que ceux de sa structure)."""
        structure_id = scoped_structure(query["structure_id"], "les dossiers")
        filters = {"advisor_id": query["advisor_id"], "tender_id": query["tender_id"],
                   "open_only": query["open"], "deadline_from": query["deadline_from"],
                   "deadline_to": query["deadline_to"], "q": query["q"],
                   "unassigned": query["unassigned"]}
        with resources().db.transaction() as conn:
            cases = store.list_cases(conn, structure_id, query["stage"], query["limit"],
                                     query["offset"], sort=query["sort"], **filters)
            total = store.count_cases(conn, structure_id, query["stage"], **filters)
        # Every matching case is reachable page by page: the total says how many there are.
        return cases, 200, {"X-Total-Count": str(total)}

    @staff_only
    @blp.arguments(CaseInSchema)
    @blp.response(201, CaseOutSchema)
    def post(self, payload):
        """Ouvrir un dossier : son workflow démarre à l'étape « Diagnostic ».

        Pour une consultation, la date limite vient de la veille ; pour une demande de devis
        d'un acheteur privé, l'acheteur et la date limite sont saisis."""
        identity = current_identity()
        try:
            with resources().db.transaction() as conn:
                tender = _checked_references(conn, payload)
                private = tender is None
                advisor_id = payload["advisor_id"]
                if advisor_id is None:  # the advisor who opens it, unless another is chosen
                    opener = advisor_store.advisor_of(conn, identity.email)
                    advisor_id = opener["id"] if opener else None
                case = store.open_case(
                    conn, payload["structure_id"], payload["tender_id"],
                    payload["title"] or tender["title"], identity.subject,
                    kind="private_quote" if private else "tender",
                    buyer_name=payload["buyer_name"],
                    deadline=payload["deadline"] if private else tender["deadline"],
                    lot_numbers=payload["lot_numbers"], advisor_id=advisor_id,
                    reminder_days=payload["reminder_days"],
                    min_headcount=payload["min_headcount"],
                    min_annual_turnover=payload["min_annual_turnover"])
                # Started inside the transaction: if Temporal refuses, the case is not created.
                workflow_calls.start(case)
        except psycopg.errors.UniqueViolation:
            with resources().db.transaction() as conn:
                existing = store.open_case_for(conn, payload["structure_id"], payload["tender_id"])
            number = f" (dossier n° {existing['id']})" if existing else ""
            abort(409, message="Cette structure a déjà un dossier ouvert pour cette "
                               f"consultation{number}.")
        return case


@blp.route("/<int:case_id>")
class CaseDetail(MethodView):
    @case_scope
    @blp.response(200, CaseDetailSchema)
    def get(self, case_id):
        """Un dossier, l'historique de ses étapes, les étapes possibles ensuite et ce qui
        s'oppose au dépôt (diagnostic no-go, pièces obligatoires manquantes)."""
        return detail(case_id)

    @staff_only
    @blp.arguments(CasePatchSchema)
    @blp.response(200, CaseDetailSchema)
    def patch(self, payload, case_id):
        """Modifier un dossier : objet, lots, exigences, jours de rappel ; la date limite d'une
        demande de devis (celle d'une consultation vient de la veille)."""
        case = readable_case(case_id)
        if "deadline" in payload and case["kind"] != "private_quote":
            invalid({"deadline": ["La date limite d'une consultation vient de la veille."]})
        with resources().db.transaction() as conn:
            if "lot_numbers" in payload:
                tender = tender_store.get_tender(conn, case["tender_id"]) \
                    if case["tender_id"] else None
                errors = _lot_errors(tender, payload["lot_numbers"])
                if errors:
                    invalid(errors)
            store.update_case(conn, case_id, {k: v for k, v in payload.items()
                                              if k != "deadline"})
            if "deadline" in payload and store.move_deadline(
                    conn, case, payload["deadline"], "Date limite modifiée par le conseiller."):
                workflow_calls.signal(case, CaseWorkflow.deadline_changed, DeadlineChange(
                    payload["deadline"].isoformat(), "Date limite modifiée par le conseiller."))
            if "reminder_days" in payload:
                defaults = current_case_settings().reminder_days
                days = payload["reminder_days"] or list(defaults)
                workflow_calls.signal(case, CaseWorkflow.reminder_days_changed,
                                      ReminderDays(list(days)))
        return detail(case_id)


def detail(case_id: int) -> dict:
    case = readable_case(case_id, with_history=True)
    case["warnings"] = case_warnings(case)
    return case


@blp.route("/<int:case_id>/state")
class CaseLiveState(MethodView):
    @case_scope
    @blp.response(200, CaseLiveStateSchema)
    def get(self, case_id):
        """L'état tenu par le workflow du dossier : étape, historique, rappels prévus et envoyés."""
        case = readable_case(case_id)
        state = workflow_calls.live_state(case)
        if state is None:
            abort(404, message=f"Le workflow du dossier {case_id} est introuvable.")
        return state


@blp.route("/<int:case_id>/stage")
class CaseStage(MethodView):
    @staff_only
    @blp.arguments(StageChangeInSchema)
    @blp.response(200, CaseDetailSchema)
    def post(self, payload, case_id):
        """Changer l'étape d'un dossier ; un changement invalide est refusé avec sa raison."""
        identity = current_identity()
        case = readable_case(case_id)
        reason = payload["reason"]
        if payload["stage"] == Stage.AWAITING_RESULT.value:
            warnings = case_warnings(case)
            refusal = deposit_refusal(Stage.AWAITING_RESULT, warnings, payload["override_reason"])
            if refusal:
                abort(409, message=refusal)
            if warnings:
                reason = override_note(warnings, payload["override_reason"])
        workflow_calls.change_stage(case, StageChange(
            target=payload["stage"], changed_by=identity.subject, reason=reason))
        return detail(case_id)


@blp.route("/<int:case_id>/outcome")
class CaseOutcome(MethodView):
    @staff_only
    @blp.arguments(OutcomeInSchema)
    @blp.response(200, CaseDetailSchema)
    def post(self, payload, case_id):
        """Enregistrer le résultat : gagné (avec le montant) ou perdu, et le retour de
        l'acheteur."""
        identity = current_identity()
        case = readable_case(case_id)
        amount = payload["amount"]
        workflow_calls.change_stage(case, StageChange(
            target=payload["outcome"], changed_by=identity.subject,
            reason=f"Résultat enregistré : {Stage(payload['outcome']).label.lower()}.",
            amount=None if amount is None else str(amount), feedback=payload["feedback"]))
        return detail(case_id)


@blp.route("/<int:case_id>/advisor")
class CaseAdvisor(MethodView):
    @staff_only
    @blp.arguments(AdvisorAssignmentSchema)
    @blp.response(200, CaseDetailSchema)
    def put(self, payload, case_id):
        """Confier le dossier à un conseiller (ou le lui retirer avec null)."""
        identity = current_identity()
        case = readable_case(case_id)
        with resources().db.transaction() as conn:
            advisor = None
            if payload["advisor_id"] is not None:
                advisor = advisor_store.get_advisor(conn, payload["advisor_id"])
                if advisor is None or not advisor["active"]:
                    invalid({"advisor_id": [f"Conseiller {payload['advisor_id']} inconnu ou "
                                            "inactif."]})
            if payload["advisor_id"] != case["advisor_id"]:
                store.update_case(conn, case_id, {"advisor_id": payload["advisor_id"]})
                before = case["advisor_name"] or "personne"
                audit.record(conn, "case", case_id, "advisor",
                             f"Conseiller·ère : {before} → "
                             f"{advisor['name'] if advisor else 'personne'}.", identity.subject,
                             {"before": case["advisor_id"], "after": payload["advisor_id"]})
        workflow_calls.activity(case, identity.subject)
        return detail(case_id)
