"""The first page after login: what is due, by role."""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, g, redirect, render_template, url_for

from ..clients import ApiError, call, get_page
from ..formatting import PARIS
from ..security import login_required

blp = Blueprint("home", __name__)


@blp.get("/")
@login_required
def index():
    if g.user.is_facilitator:  # the social-clause facilitator's day starts from its lots
        return redirect(url_for("clauses.index"))
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
        # The soonest deadlines still ahead, asked as such (never the first cases listed).
        params = {"open": "true", "limit": 5, "sort": "deadline",
                  "deadline_from": datetime.now(PARIS).isoformat()}
        if not g.user.is_staff:
            params["structure_id"] = g.user.structure_id
        cases = call("accompagnement", "GET", "/api/cases", params=params)
    except ApiError as exc:
        problems.append(exc.detail)
    return render_template("home.html", matches=matches, upcoming=upcoming, problems=problems,
                           cases=cases)
