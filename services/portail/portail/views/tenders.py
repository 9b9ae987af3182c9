"""Tender search, its CSV export and a tender's page (everyone logged in); advisors open a case
from a tender."""

from __future__ import annotations

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for

from centrale.french import LABELS

from ..clients import ApiError, call, get_page
from ..security import login_required
from .clauses import note_of
from .forms import EmptyForm
from .need_forms import InterestForm

blp = Blueprint("tenders", __name__)

FILTERS = ("q", "cpv", "department", "status", "reservation", "buyer", "clause", "sort")


def search_filters() -> tuple[dict[str, str], dict[str, str]]:
    """The search as the form gave it, and as veille is asked (open tenders unless said)."""
    args = {name: request.args.get(name, "").strip() for name in FILTERS}
    params = {name: value for name, value in args.items() if value}
    params.setdefault("status", "open")
    return args, params


@blp.get("/appels-d-offres")
@login_required
def search():
    args, params = search_filters()
    page = request.args.get("page", "1")
    params["page"] = page if page.isdigit() else "1"
    params["page_size"] = 20
    errors = {}
    try:
        result = get_page("veille", "/api/tenders", params)
    except ApiError as exc:
        if exc.status != 422:
            raise
        # Shown by the field it concerns, in French, never the service's raw answer (a form
        # shown again with its errors answers 200, as everywhere in the portail).
        errors, result = exc.field_errors(), None
    export = {name: value for name, value in args.items() if value}
    return render_template("tenders/search.html", args=args, result=result, errors=errors,
                           reservations=LABELS["tender_reservation"],
                           states=LABELS["tender_state_filter"], clauses=LABELS["tender_clause"],
                           export_url=url_for("tenders.export_csv", **export))


@blp.get("/appels-d-offres/export.csv")
@login_required
def export_csv():
    """The current search as veille writes it (5,000 tenders at most), asked with the person's
    own token: the file is theirs to read, and no token ever reaches the browser."""
    _args, params = search_filters()
    try:
        answer = call("veille", "GET", "/api/tenders/export.csv", params=params, raw=True)
    except ApiError as exc:
        if exc.status != 422:
            raise
        flash("Export impossible : corrigez d'abord la recherche.", "error")
        return redirect(url_for("tenders.search", **{k: v for k, v in params.items()}))
    return Response(answer.content, mimetype="text/csv", headers={
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": 'attachment; filename="appels-d-offres.csv"'})


@blp.get("/appels-d-offres/<int:tender_id>")
@login_required
def detail(tender_id: int):
    tender = call("veille", "GET", f"/api/tenders/{tender_id}")  # its 404 is ours (app.py)
    tender_clauses = [c for c in LABELS["tender_clause"] if tender.get(f"{c}_clause")]
    # A buyer's need posted at the Centrale: a structure answers « intéressé » right here.
    interest = InterestForm() if tender.get("need_id") and g.user.is_member else None
    return render_template("tenders/detail.html", tender=tender, form=EmptyForm(),
                           tender_clauses=tender_clauses, interest=interest,
                           clause_note=clause_note(tender_id))


def clause_note(tender_id: int) -> dict | None:
    """The social-clause facilitator's note, for advisors and the facilitator (accompagnement
    answers others 403: the note is the Centrale's working knowledge, not public)."""
    if not (g.user.is_staff or g.user.is_facilitator):
        return None
    return note_of(tender_id)
