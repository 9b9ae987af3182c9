"""The structures directory (advisors) and the impact dashboard with its CSV export."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from flask import Blueprint, Response, render_template, request

from centrale.french import PARIS

from ..clients import ApiError, call
from ..security import staff_required

blp = Blueprint("directory", __name__)


@blp.get("/structures")
@staff_required
def structures():
    items = call("accompagnement", "GET", "/api/structures", params={"limit": 200})
    return render_template("directory/structures.html", structures=items)


def period() -> tuple[str, str]:
    """The period asked, by default this year up to today — in Paris, not the server's zone."""
    today = datetime.now(PARIS).date()
    start = request.args.get("start") or date(today.year, 1, 1).isoformat()
    end = request.args.get("end") or today.isoformat()
    return start, end


@blp.get("/impact")
@staff_required
def impact():
    start, end = period()
    errors = {}
    try:
        figures = call("accompagnement", "GET", "/api/impact", params={"start": start, "end": end})
    except ApiError as exc:
        if exc.status != 422:
            raise
        figures, errors = None, exc.field_errors()
    try:
        training = call("formation", "GET", "/api/figures", params={"start": start, "end": end})
    except ApiError:
        training = None
    monthly = monthly_figures(start, end) if figures else []
    return render_template("directory/impact.html", figures=figures, training=training,
                           monthly=monthly, start=start, end=end, errors=errors)


def month_bounds(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months a period touches (at most twelve, the last ones)."""
    months = []
    first = start.replace(day=1)
    while first <= end:
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        months.append((max(first, start), min(following - timedelta(days=1), end)))
        first = following
    return months[-12:]


def monthly_figures(start: str, end: str) -> list[dict]:
    """Answers, wins and amounts won per month, asked month by month of accompagnement."""
    rows = []
    for first, last in month_bounds(date.fromisoformat(start), date.fromisoformat(end)):
        figures = call("accompagnement", "GET", "/api/impact",
                       params={"start": first.isoformat(), "end": last.isoformat()})
        rows.append({"month": first, "submitted": figures["answers_submitted"],
                     "won": figures["won"], "amount_won": figures["amount_won"]})
    return rows


@blp.get("/impact.csv")
@staff_required
def impact_csv():
    start, end = period()
    response = call("accompagnement", "GET", "/api/impact.csv",
                    params={"start": start, "end": end}, raw=True)
    return Response(response.content, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="impact-{start}-{end}.csv"'})
