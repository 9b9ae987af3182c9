"""An advisor's work on one case beyond its stage: the bid / no-bid diagnosis grid, and the
groupement (partners suggested with their reasons, invitations, roles, shares and which
partner holds which lot). A member answers their structure's groupement invitations."""

from __future__ import annotations

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for

from ..clients import ApiError, call
from ..lookups import structure_choices
from ..security import login_required, staff_required
from .forms import EmptyForm, french_decimal, json_number

blp = Blueprint("case_work", __name__)

SCORES = [("", "Non applicable"), ("0", "0 — pas du tout"), ("1", "1"), ("2", "2"),
          ("3", "3 — moyen"), ("4", "4"), ("5", "5 — tout à fait")]
# accompagnement's roles of a groupement (its ConsortiumRole), in its order.
ROLES = [("mandataire", "Mandataire"), ("cotraitant_conjoint", "Cotraitant conjoint"),
         ("cotraitant_solidaire", "Cotraitant solidaire"), ("sous_traitant", "Sous-traitant")]


@blp.route("/dossiers/<int:case_id>/diagnostic", methods=["GET", "POST"])
@staff_required
def diagnosis(case_id: int):
    """The grid: each criterion with what the facts suggest; the advisor scores the rest."""
    case = call("accompagnement", "GET", f"/api/cases/{case_id}")
    suggestions = call("accompagnement", "GET", f"/api/cases/{case_id}/diagnosis/suggestions")
    form = EmptyForm()
    errors: list[str] = []
    chosen = {c["criterion"]: request.form.get(f"score-{c['criterion']}")
              for c in suggestions["criteria"]}
    if form.validate_on_submit():
        scores = {}
        for criterion, value in chosen.items():
            if value is None:
                continue
            if value == "":
                scores[criterion] = None
            elif value.isdigit() and 0 <= int(value) <= 5:
                scores[criterion] = int(value)
            else:
                abort(400)
        try:
            call("accompagnement", "POST", f"/api/cases/{case_id}/diagnosis", json_body={
                "scores": scores, "comment": (request.form.get("comment") or "").strip()[:4000]
                or None})
            flash("Diagnostic enregistré.", "info")
            return redirect(url_for("cases.detail", case_id=case_id))
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            errors = [m for ms in exc.field_errors().values() for m in ms] or [exc.detail]
    elif request.method == "POST":
        abort(400)
    current = {}
    for c in suggestions["criteria"]:
        if chosen.get(c["criterion"]) is not None:
            current[c["criterion"]] = chosen[c["criterion"]]
        elif c["suggested_as"] == "score":
            current[c["criterion"]] = str(c["suggested"])
        elif c["suggested_as"] == "non_applicable":
            current[c["criterion"]] = ""
        else:
            current[c["criterion"]] = "3"
    return render_template("cases/diagnosis.html", case=case, criteria=suggestions["criteria"],
                           scores=SCORES, current=current, form=form, errors=errors,
                           comment=request.form.get("comment", ""))


@blp.get("/dossiers/<int:case_id>/groupement")
@staff_required
def groupement(case_id: int):
    case = call("accompagnement", "GET", f"/api/cases/{case_id}")
    consortium = call("accompagnement", "GET", f"/api/cases/{case_id}/consortium")
    suggestions = call("accompagnement", "GET", f"/api/cases/{case_id}/partners/suggestions",
                       params={"limit": 10})
    invited = {m["structure_id"] for m in consortium["members"]}
    lots = case["lot_numbers"] or []
    if not lots and case["tender_id"]:
        try:
            tender = call("veille", "GET", f"/api/tenders/{case['tender_id']}")
            lots = [str(lot["id"]) for lot in tender.get("lots") or []]
        except ApiError:
            lots = []
    members = consortium["members"] or [{"structure_id": case["structure_id"],
                                         "legal_name": case["structure_name"],
                                         "role": "mandataire", "status": "lead",
                                         "status_label": "Structure pilote",
                                         "share_percent": None, "lot_numbers": []}]
    others = [(value, label) for value, label in structure_choices()
              if int(value) not in invited and int(value) != case["structure_id"]]
    return render_template("cases/groupement.html", case=case, consortium=consortium,
                           members=members, suggestions=suggestions, invited=invited,
                           others=others,
                           lots=lots or ["1"], roles=ROLES, form=EmptyForm(),
                           errors=request.args.getlist("erreur"))


@blp.post("/dossiers/<int:case_id>/groupement/inviter")
@staff_required
def invite(case_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    structure_id, role = request.form.get("structure_id", ""), request.form.get("role", "")
    if not structure_id.isdigit() or role not in dict(ROLES):
        abort(400)
    try:
        member = call("accompagnement", "POST", f"/api/cases/{case_id}/consortium/invitations",
                      json_body={"structure_id": int(structure_id), "role": role,
                                 "message": (request.form.get("message") or "").strip()[:4000]
                                 or None})
        flash(f"{member['legal_name']} est invitée dans le groupement.", "info")
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        flash(f"Invitation refusée : {exc.detail}", "error")
    return redirect(url_for("case_work.groupement", case_id=case_id))


@blp.post("/dossiers/<int:case_id>/groupement/composition")
@staff_required
def compose(case_id: int):
    """Roles, shares and lots of the members who are in (the lead and those who accepted)."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    entries, problems = [], []
    for structure_id in request.form.getlist("member"):
        if not structure_id.isdigit():
            abort(400)
        role = request.form.get(f"role-{structure_id}", "")
        if role not in dict(ROLES):
            abort(400)
        try:
            share = french_decimal(request.form.get(f"share-{structure_id}"))
        except ValueError as error:
            problems.append(str(error))
            continue
        if share is None:
            continue  # left out of the groupement
        entries.append({"structure_id": int(structure_id), "role": role,
                        "share_percent": json_number(share),
                        "lot_numbers": [lot for lot in request.form.getlist(f"lots-{structure_id}")
                                        if lot]})
    if problems or not entries:
        flash("Composition refusée : " + (" ".join(problems) or "indiquez la part de chaque "
                                          "membre."), "error")
        return redirect(url_for("case_work.groupement", case_id=case_id))
    try:
        call("accompagnement", "PUT", f"/api/cases/{case_id}/consortium",
             json_body={"members": entries})
        flash("Groupement constitué : rôles, parts et lots enregistrés.", "info")
    except ApiError as exc:
        if exc.status not in (409, 422):
            raise
        flash("Composition refusée : " + (" ".join(
            m for ms in exc.field_errors().values() for m in ms) or exc.detail), "error")
    return redirect(url_for("case_work.groupement", case_id=case_id))


@blp.route("/groupements", methods=["GET"])
@login_required
def invitations():
    """The groupements the member's structure is invited to, to answer."""
    if g.user.is_staff:
        abort(404)
    found = call("accompagnement", "GET", f"/api/structures/{g.user.structure_id}/invitations")
    return render_template("cases/invitations.html", invitations=found, form=EmptyForm())


@blp.post("/groupements/<int:case_id>/reponse")
@login_required
def answer(case_id: int):
    if g.user.is_staff or not EmptyForm().validate_on_submit():
        abort(400 if not g.user.is_staff else 404)
    choice = request.form.get("accepted")
    if choice not in ("oui", "non"):
        abort(400)
    try:
        call("accompagnement", "POST",
             f"/api/cases/{case_id}/consortium/invitations/{g.user.structure_id}/answer",
             json_body={"accepted": choice == "oui",
                        "comment": (request.form.get("comment") or "").strip()[:4000] or None})
        flash("Réponse envoyée : " + ("vous rejoignez le groupement." if choice == "oui"
                                      else "vous déclinez l'invitation."), "info")
    except ApiError as exc:
        if exc.status not in (404, 409):
            raise
        flash(f"Réponse refusée : {exc.detail}", "error")
    return redirect(url_for("case_work.invitations"))
