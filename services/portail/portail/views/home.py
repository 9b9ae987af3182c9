"""The first page after login: what is due, by role."""

from __future__ import annotations

from flask import Blueprint, g, render_template

from ..clients import ApiError, call, get_page
from ..security import login_required

blp = Blueprint("home", __name__)


@blp.get("/")
@login_required
def index():
    matches, problems = [], []
    if g.user.structure_id:
        try:
            matches = get_page("veille", f"/api/structures/{g.user.structure_id}/matches",
                               {"page_size": 5}).items
        except ApiError as exc:
            problems.append(exc.detail)
    try:
        upcoming = get_page("veille", "/api/tenders", {"status": "open", "in_territory": "true",
                                                       "sort": "deadline", "page_size": 5}).items
    except ApiError as exc:
        upcoming = []
        problems.append(exc.detail)
    cases = []
    try:
        params = {"open": "true", "limit": 20}
        if not g.user.is_staff:
            params["structure_id"] = g.user.structure_id
        cases = sorted((c for c in call("accompagnement", "GET", "/api/cases", params=params)
                        if c.get("deadline")), key=lambda c: c["deadline"])[:5]
    except ApiError as exc:
        problems.append(exc.detail)
    return render_template("home.html", matches=matches, upcoming=upcoming, problems=problems,
                           cases=cases)
