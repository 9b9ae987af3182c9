"""Bid / no-bid diagnosis of a case: suggested scores, the weighted grid, the advice."""

from __future__ import annotations

from datetime import datetime

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import current_identity, resources, staff_only

from ..case_context import CaseContext
from ..domain.diagnosis import DEFAULT_WEIGHTS, Criterion, InvalidGrid, diagnose
from centrale.french import PARIS
from ..domain.scoring import reservation_context, score_capacity, score_time_left, suggest_scores
from ..store import diagnoses as store
from .. import workflow_calls
from .access import case_context, case_scope, invalid, readable_case
from .diagnosis_schemas import DiagnosisInSchema, DiagnosisOutSchema, SuggestionsSchema

blp = Blueprint("diagnosis", __name__, url_prefix="/api/cases",
                description="Diagnostic go / no-go d'un dossier")


def suggestions(context: CaseContext, now: datetime) -> dict[Criterion, int | None]:
    """What the facts support; a request for a quote has no lots to compare activities with."""
    tender, structure = context.tender, context.structure
    if tender.lots:
        return suggest_scores(structure, tender, now, context.lot_numbers or None)
    suggested: dict[Criterion, int | None] = {}
    if tender.deadline is not None:
        suggested[Criterion.TIME_LEFT] = score_time_left(tender.deadline, now)
    capacity = score_capacity(structure.capacities, tender.min_headcount,
                              tender.min_annual_turnover)
    if capacity is not None:
        suggested[Criterion.CAPACITY] = capacity
    return suggested


def _context(case_id: int) -> tuple[dict, CaseContext]:
    case = readable_case(case_id)
    with resources().db.transaction() as conn:
        return case, case_context(conn, case)


@blp.route("/<int:case_id>/diagnosis/suggestions")
class DiagnosisSuggestions(MethodView):
    @case_scope
    @blp.response(200, SuggestionsSchema)
    def get(self, case_id):
        """Notes suggérées d'après la structure et la consultation (à compléter par le
        conseiller)."""
        _case, context = _context(case_id)
        suggested = suggestions(context, datetime.now(PARIS))
        criteria = []
        for criterion in Criterion:
            known = criterion in suggested
            value = suggested.get(criterion)
            criteria.append({
                "criterion": criterion.value, "label": criterion.label,
                "weight": DEFAULT_WEIGHTS[criterion], "suggested": value,
                "suggested_as": "to_score" if not known else (
                    "non_applicable" if value is None else "score")})
        return {"criteria": criteria,
                "suggested_scores": {c.value: v for c, v in suggested.items()},
                "to_score": [c.value for c in Criterion if c not in suggested]}


@blp.route("/<int:case_id>/diagnosis")
class CaseDiagnosis(MethodView):
    @case_scope
    @blp.response(200, DiagnosisOutSchema)
    def get(self, case_id):
        """Le dernier diagnostic du dossier."""
        readable_case(case_id)
        with resources().db.transaction() as conn:
            diagnosis = store.latest_diagnosis(conn, case_id)
        if diagnosis is None:
            abort(404, message=f"Le dossier {case_id} n'a pas encore de diagnostic.")
        return diagnosis

    @staff_only
    @blp.arguments(DiagnosisInSchema)
    @blp.response(201, DiagnosisOutSchema)
    def post(self, payload, case_id):
        """Établir le diagnostic : go, à examiner ou no-go, avec ses raisons et les modules de
        formation recommandés."""
        identity = current_identity()
        case, context = _context(case_id)
        scores = {c: v for c, v in suggestions(context, datetime.now(PARIS)).items()}
        scores.update({Criterion(name): value for name, value in payload["scores"].items()})
        weights = {**DEFAULT_WEIGHTS,
                   **{Criterion(name): value for name, value in payload["weights"].items()}}
        reserved_to, eligible = reservation_context(context.structure, context.lots)
        try:
            diagnosis = diagnose(scores, weights=weights, fully_reserved_to=reserved_to,
                                 eligible_to_reservation=eligible)
        except InvalidGrid as error:
            invalid({"scores": [str(error)]})
        with resources().db.transaction() as conn:
            saved = store.save_diagnosis(
                conn, case, diagnosis, {c.value: v for c, v in scores.items()},
                {c.value: w for c, w in weights.items()}, payload["comment"], identity.subject)
        workflow_calls.activity(case, identity.subject)
        return saved
