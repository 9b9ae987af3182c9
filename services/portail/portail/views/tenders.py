"""Tender search and detail (everyone logged in); advisors open a case from a tender."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from centrale.french import LABELS

from ..clients import ApiError, call, get_page
from ..security import login_required
from .forms import EmptyForm

blp = Blueprint("tenders", __name__)

FILTERS = ("q", "cpv", "department", "status", "reservation", "sort")


@blp.get("/appels-d-offres")
@login_required
def search():
    args = {name: request.args.get(name, "").strip() for name in FILTERS}
    params = {name: value for name, value in args.items() if value}
    params.setdefault("status", "open")
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
    return render_template("tenders/search.html", args=args, result=result, errors=errors,
                           reservations=LABELS["tender_reservation"])


@blp.get("/appels-d-offres/<int:tender_id>")
@login_required
def detail(tender_id: int):
    try:
        tender = call("veille", "GET", f"/api/tenders/{tender_id}")
    except ApiError as exc:
        if exc.status == 404:
            abort(404)
        raise
    return render_template("tenders/detail.html", tender=tender, form=EmptyForm())
