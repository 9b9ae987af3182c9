"""A structure's matched tenders (with why, and « pas intéressé ») and its alert profiles."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from ..clients import ApiError, call, get_page
from ..security import login_required
from .forms import DismissForm, EmptyForm, ProfileForm

blp = Blueprint("alerts", __name__)


def structure_id() -> int:
    """The structure whose alerts are shown: a member's own; staff choose with ?structure=."""
    if g.user.structure_id and not g.user.is_staff:
        return g.user.structure_id
    chosen = request.values.get("structure", "")
    if not chosen.isdigit():
        abort(404)
    return int(chosen)


def split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@blp.get("/alertes")
@login_required
def matches():
    sid = structure_id()
    page = request.args.get("page", "1")
    result = get_page("veille", f"/api/structures/{sid}/matches",
                      {"page": page if page.isdigit() else 1, "page_size": 20})
    # What was set aside stays in sight, with its reason, and can be proposed again.
    every = get_page("veille", f"/api/structures/{sid}/matches",
                     {"include_dismissed": "true", "page_size": 100})
    dismissed = [m for m in every.items if m["dismissed_reason"]]
    return render_template("alerts/matches.html", result=result, structure_id=sid,
                           form=DismissForm(), dismissed=dismissed, undo_form=EmptyForm())


@blp.post("/alertes/<int:tender_id>/reproposer")
@login_required
def undo_dismiss(tender_id: int):
    sid = structure_id()
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        call("veille", "DELETE", f"/api/structures/{sid}/matches/{tender_id}/dismiss")
        flash("Ce marché vous est de nouveau proposé.", "info")
    except ApiError as exc:
        if exc.status != 404:
            raise
        flash("Ce marché n'était pas écarté.", "error")
    return redirect(url_for("alerts.matches", structure=sid if g.user.is_staff else None))


@blp.post("/alertes/<int:tender_id>/pas-interesse")
@login_required
def dismiss(tender_id: int):
    sid = structure_id()
    form = DismissForm()
    if not form.validate_on_submit():
        flash("Indiquez en quelques mots pourquoi ce marché ne vous intéresse pas.", "error")
    else:
        call("veille", "POST", f"/api/structures/{sid}/matches/{tender_id}/dismiss",
             json_body={"reason": form.reason.data})
        flash("C'est noté : ce marché ne vous sera plus proposé.", "info")
    return redirect(url_for("alerts.matches", structure=sid if g.user.is_staff else None))


@blp.route("/profils", methods=["GET", "POST"])
@login_required
def profiles():
    sid = structure_id()
    form = ProfileForm()
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        body = {"name": form.name.data, "cpv_prefixes": split(form.cpv_prefixes.data),
                "keywords": split(form.keywords.data),
                "departments": [d.zfill(2) for d in split(form.departments.data)],
                "reserved_only": form.reserved_only.data, "structure_id": sid}
        try:
            call("veille", "POST", "/api/profiles", json_body=body)
            flash(f"Profil « {form.name.data} » créé.", "info")
            return redirect(url_for("alerts.profiles", structure=sid if g.user.is_staff else None))
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            errors = exc.field_errors() or {"name": [exc.detail]}
    existing = call("veille", "GET", "/api/profiles", params={"structure_id": sid})
    return render_template("alerts/profiles.html", form=form, errors=errors, profiles=existing,
                           structure_id=sid, delete_form=EmptyForm())


@blp.post("/profils/<int:profile_id>/supprimer")
@login_required
def delete_profile(profile_id: int):
    if EmptyForm().validate_on_submit():
        call("veille", "DELETE", f"/api/profiles/{profile_id}")
        flash("Profil supprimé.", "info")
    sid = request.values.get("structure")
    return redirect(url_for("alerts.profiles", structure=sid if g.user.is_staff else None))
