"""Cases: the advisors' board by stage (a refused move says why), deadlines of the week, the
case page (timeline, checklist, notes, mémoire technique), opening a case from a tender.
A member sees only their structure's cases: accompagnement refuses the others (404)."""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   url_for)

from centrale.french import PARIS, choices

from ..clients import ApiError, call
from ..security import login_required, staff_required
from .forms import EmptyForm, NoteForm, OpenCaseForm, StageForm, TimeForm

blp = Blueprint("cases", __name__)

STAGES = choices("stage")
BOARD_STAGES = STAGES[:5]
# The move an advisor most often makes from each stage, offered first.
NEXT_STAGE = {"diagnosis": "drafting", "drafting": "review", "review": "submission",
              "submission": "awaiting_result", "awaiting_result": "won"}


def open_cases() -> list[dict]:
    params = {"open": "true", "limit": 200}
    if not g.user.is_staff:
        params["structure_id"] = g.user.structure_id
    return call("accompagnement", "GET", "/api/cases", params=params)


@blp.get("/dossiers")
@login_required
def board():
    cases = open_cases()
    columns = [(code, label, [c for c in cases if c["stage"] == code])
               for code, label in BOARD_STAGES]
    return render_template("cases/board.html", columns=columns, stages=STAGES,
                           next_stage=NEXT_STAGE, form=StageForm())


@blp.get("/dossiers/echeances")
@login_required
def this_week():
    now = datetime.now(PARIS)
    soon = now + timedelta(days=7)
    due = []
    for case in open_cases():
        if case.get("deadline"):
            deadline = datetime.fromisoformat(case["deadline"])
            if now <= deadline <= soon:
                due.append(case)
    due.sort(key=lambda c: c["deadline"])
    return render_template("cases/this_week.html", cases=due)


@blp.post("/dossiers/<int:case_id>/etape")
@staff_required
def move(case_id: int):
    form = StageForm()
    if not form.validate_on_submit():
        flash("Choisissez une étape.", "error")
    else:
        try:
            case = call("accompagnement", "POST", f"/api/cases/{case_id}/stage",
                        json_body={"stage": form.stage.data, "reason": form.reason.data or None})
            flash(f"Dossier passé à l'étape « {case['stage_label']} ».", "info")
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            flash(f"Changement refusé : {exc.detail}", "error")
    target = request.form.get("back")
    if target == "board":
        return redirect(url_for("cases.board"))
    return redirect(url_for("cases.detail", case_id=case_id))


@blp.route("/dossiers/<int:case_id>", methods=["GET", "POST"])
@login_required
def detail(case_id: int):
    note_form = NoteForm()
    if note_form.validate_on_submit():
        call("accompagnement", "POST", f"/api/cases/{case_id}/notes",
             json_body={"body": note_form.body.data})
        flash("Note ajoutée.", "info")
        return redirect(url_for("cases.detail", case_id=case_id))
    case = call("accompagnement", "GET", f"/api/cases/{case_id}")
    try:
        checklist = call("accompagnement", "GET", f"/api/cases/{case_id}/checklist")
    except ApiError as exc:
        if exc.status != 404:
            raise
        checklist = None
    notes = call("accompagnement", "GET", f"/api/cases/{case_id}/notes")
    diagnosis = optional(f"/api/cases/{case_id}/diagnosis")
    consortium = optional(f"/api/cases/{case_id}/consortium")
    time_spent = call("accompagnement", "GET", f"/api/cases/{case_id}/time")
    return render_template("cases/detail.html", case=case, checklist=checklist, notes=notes,
                           diagnosis=diagnosis, consortium=consortium, time_spent=time_spent,
                           stages=STAGES, next_stage=NEXT_STAGE, stage_form=StageForm(),
                           note_form=note_form,
                           time_form=TimeForm(), form=EmptyForm())


def optional(path: str):
    """A part of a case that may not exist yet (no diagnosis, no groupement): None then."""
    try:
        return call("accompagnement", "GET", path)
    except ApiError as exc:
        if exc.status == 404:
            return None
        raise


@blp.post("/dossiers/<int:case_id>/temps")
@staff_required
def log_time(case_id: int):
    form = TimeForm()
    if form.validate_on_submit():
        try:
            call("accompagnement", "POST", f"/api/cases/{case_id}/time", json_body={
                "spent_on": form.spent_on.data.isoformat(), "hours": str(form.hours.data),
                "activity": form.activity.data, "comment": form.comment.data or None})
            flash("Temps enregistré.", "info")
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            flash(f"Temps refusé : {exc.detail}", "error")
    else:
        flash("Temps refusé : " + " ".join(
            message for messages in form.errors.values() for message in messages), "error")
    return redirect(url_for("cases.detail", case_id=case_id) + "#temps")


@blp.post("/dossiers/<int:case_id>/pieces")
@login_required
def create_checklist(case_id: int):
    if EmptyForm().validate_on_submit():
        call("accompagnement", "POST", f"/api/cases/{case_id}/checklist", json_body={})
        flash("Liste des pièces créée.", "info")
    return redirect(url_for("cases.detail", case_id=case_id))


@blp.post("/dossiers/<int:case_id>/pieces/<kind>")
@login_required
def tick(case_id: int, kind: str):
    status = request.form.get("status", "")
    if not EmptyForm().validate_on_submit() or status not in ("a_fournir", "en_cours", "fourni",
                                                              "valide"):
        abort(400)
    call("accompagnement", "PATCH", f"/api/cases/{case_id}/checklist/{kind}",
         json_body={"status": status})
    flash("Pièce mise à jour.", "info")
    return redirect(url_for("cases.detail", case_id=case_id) + "#pieces")


@blp.get("/dossiers/<int:case_id>/memoire.docx")
@login_required
def memoire(case_id: int):
    response = call("accompagnement", "GET", f"/api/cases/{case_id}/memoire.docx", raw=True)
    return Response(response.content, mimetype=response.headers.get(
        "Content-Type", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        headers={"Content-Disposition": f'attachment; filename="memoire-technique-{case_id}.docx"'})


@blp.route("/appels-d-offres/<int:tender_id>/ouvrir-un-dossier", methods=["GET", "POST"])
@staff_required
def open_from_tender(tender_id: int):
    form = OpenCaseForm()
    structures = call("accompagnement", "GET", "/api/structures", params={"limit": 200})
    form.structure_id.choices = [(str(s["id"]), s["legal_name"]) for s in structures]
    if form.validate_on_submit():
        try:
            case = call("accompagnement", "POST", "/api/cases", json_body={
                "structure_id": int(form.structure_id.data), "tender_id": tender_id})
        except ApiError as exc:
            if exc.status not in (404, 409, 422):
                raise
            flash(f"Impossible d'ouvrir le dossier : {exc.detail}", "error")
        else:
            flash("Dossier ouvert : il commence par le diagnostic.", "info")
            return redirect(url_for("cases.detail", case_id=case["id"]))
    tender = call("veille", "GET", f"/api/tenders/{tender_id}")
    return render_template("cases/open.html", form=form, tender=tender)
