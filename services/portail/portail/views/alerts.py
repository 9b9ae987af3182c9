"""A structure's alerts (one card per tender: the profiles that found it, why, its score and
its parts, « pas intéressé » and its undoing) and its alert profiles (created or edited, each
says at once how many open tenders it finds; each has its private Atom feed)."""

from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   url_for)

from centrale.french import whole_number

from ..clients import ApiError, call, get_page
from ..security import login_required
from .forms import DismissForm, EmptyForm, ProfileForm, json_number

blp = Blueprint("alerts", __name__)


def structure_id() -> int:
    """The structure whose alerts are shown: a member's own; staff choose with ?structure=."""
    if g.user.structure_id and not g.user.is_staff:
        return g.user.structure_id
    chosen = request.values.get("structure", "")
    if not chosen.isdigit():
        abort(404)
    return int(chosen)


def chosen_structure(sid: int) -> int | None:
    """What staff's links carry (?structure=), never a member's."""
    return sid if g.user.is_staff else None


def split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def found_sentence(found: int) -> str:
    """What a profile met at once among the territory's open tenders."""
    if found <= 0:
        return ("Aucun appel d'offres ouvert ne correspond encore à ce profil : vous serez "
                "alerté des prochains.")
    if found == 1:
        return "1 appel d'offres ouvert correspond déjà à ce profil."
    return f"{whole_number(found)} appels d'offres ouverts correspondent déjà à ce profil."


def feed_url(profile: dict) -> str | None:
    """The profile's private feed at the portail's public address: the portail forwards
    veille's /flux/… (public_links), only the portail being reachable from outside."""
    path = profile.get("feed_path") or ""
    base = current_app.extensions["centrale"].settings.portail_public_url
    return base + path if path.startswith("/flux/") else None


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
                           form=DismissForm(), dismissed=dismissed, undo_form=EmptyForm(),
                           chosen=chosen_structure(sid))


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
    return redirect(url_for("alerts.matches", structure=chosen_structure(sid)))


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
    return redirect(url_for("alerts.matches", structure=chosen_structure(sid)))


def profile_body(form: ProfileForm) -> dict:
    return {"name": form.name.data, "cpv_prefixes": split(form.cpv_prefixes.data),
            "keywords": split(form.keywords.data),
            "departments": [d.zfill(2) if d.isdigit() else d
                            for d in split(form.departments.data)],
            "min_value": json_number(form.min_value.data),
            "max_value": json_number(form.max_value.data),
            "reserved_only": form.reserved_only.data, "clauses": form.clauses.data or [],
            "notice_kinds": form.notice_kinds.data or ["contract", "prior_information",
                                                       "renewal"]}


def refusals(exc: ApiError) -> dict[str, list[str]]:
    """veille's refusal by field; one about the whole profile is shown above the form."""
    if exc.status not in (409, 422):
        raise exc
    errors = exc.field_errors()
    if "_schema" in errors:
        errors["form"] = errors.pop("_schema")
    return errors or {"form": [exc.detail]}


def saved(profile: dict, verb: str, sid: int):
    flash(f"Profil « {profile['name']} » {verb}. {found_sentence(profile.get('found') or 0)}",
          "info")
    return redirect(url_for("alerts.profiles", structure=chosen_structure(sid),
                            _anchor=f"profil-{profile['id']}"))


@blp.route("/profils", methods=["GET", "POST"])
@login_required
def profiles():
    sid = structure_id()
    form = ProfileForm()
    if request.method == "GET":
        form.notice_kinds.data = ["contract", "prior_information", "renewal"]
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        try:
            profile = call("veille", "POST", "/api/profiles",
                           json_body={**profile_body(form), "structure_id": sid})
            return saved(profile, "créé", sid)
        except ApiError as exc:
            errors = refusals(exc)
    existing = call("veille", "GET", "/api/profiles", params={"structure_id": sid})
    return render_template("alerts/profiles.html", form=form, errors=errors, profiles=existing,
                           structure_id=sid, chosen=chosen_structure(sid),
                           delete_form=EmptyForm(),
                           feeds={p["id"]: feed_url(p) for p in existing})


@blp.route("/profils/<int:profile_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_profile(profile_id: int):
    # Another structure's profile answers 404, as an unknown one (app.py shows veille's 404).
    profile = call("veille", "GET", f"/api/profiles/{profile_id}")
    sid = profile["structure_id"]
    form = ProfileForm()
    errors: dict[str, list[str]] = {}
    if request.method == "GET":
        form.name.data = profile["name"]
        form.cpv_prefixes.data = ", ".join(profile["cpv_prefixes"])
        form.keywords.data = ", ".join(profile["keywords"])
        form.departments.data = ", ".join(profile["departments"])
        form.min_value.data = profile["min_value"]
        form.max_value.data = profile["max_value"]
        form.reserved_only.data = profile["reserved_only"]
        form.clauses.data = profile["clauses"]
        form.notice_kinds.data = profile["notice_kinds"]
    elif form.validate_on_submit():
        try:
            updated = call("veille", "PUT", f"/api/profiles/{profile_id}",
                           json_body={**profile_body(form), "structure_id": sid})
            return saved(updated, "modifié", sid)
        except ApiError as exc:
            errors = refusals(exc)
    return render_template("alerts/profile_edit.html", form=form, errors=errors,
                           profile=profile, chosen=chosen_structure(sid))


@blp.post("/profils/<int:profile_id>/supprimer")
@login_required
def delete_profile(profile_id: int):
    if EmptyForm().validate_on_submit():
        call("veille", "DELETE", f"/api/profiles/{profile_id}")
        flash("Profil supprimé.", "info")
    sid = request.values.get("structure")
    return redirect(url_for("alerts.profiles", structure=sid if g.user.is_staff else None))
