"""The structures directory (advisors) and the impact dashboard with its CSV export."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, Response, render_template, request

from ..clients import ApiError, call
from ..security import staff_required

blp = Blueprint("directory", __name__)


@blp.get("/structures")
@staff_required
def structures():
    items = call("accompagnement", "GET", "/api/structures", params={"limit": 200})
    return render_template("directory/structures.html", structures=items)


def period() -> tuple[str, str]:
    today = date.today()
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
    return render_template("directory/impact.html", figures=figures, training=training,
                           start=start, end=end, errors=errors)


@blp.get("/impact.csv")
@staff_required
def impact_csv():
    start, end = period()
    response = call("accompagnement", "GET", "/api/impact.csv",
                    params={"start": start, "end": end}, raw=True)
    return Response(response.content, mimetype="text/csv", headers={
        "Content-Disposition": f'attachment; filename="impact-{start}-{end}.csv"'})
