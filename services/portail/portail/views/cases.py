"""Cases: the advisors' board by stage, the list of every case (filters, search, pages, CSV),
the deadlines of the week, the case page (timeline, stage moves the workflow allows, outcome,
advisor, checklist, notes, hours, mémoire technique), opening a case from a tender or for a
private buyer's request for a quote. A member sees only their structure's cases:
accompagnement refuses the others (404)."""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   url_for)

from centrale import french
from centrale.french import LABELS, PARIS, choices, label

from ..clients import ApiError, call, get_counted
from ..formatting import french_date
from ..lookups import advisor_choices, my_advisor_id, structure_choices
from ..security import login_required, staff_required
from .forms import (AdvisorForm, EmptyForm, NoteForm, OpenCaseForm, OutcomeForm,
                    PrivateQuoteForm, StageForm, TimeForm, json_number)

blp = Blueprint("cases", __name__)

BOARD_STAGES = ["diagnosis", "drafting", "review", "submission", "awaiting_result"]
# The move an advisor most often makes from each stage, offered first.
NEXT_STAGE = {"diagnosis": "drafting", "drafting": "review", "review": "submission",
              "submission": "awaiting_result"}
OUTCOMES = ("won", "lost")  # recorded by the outcome form, with the amount
PER_COLUMN = 30
PAGE_SIZE = 50
CHECKLIST_STATUSES = choices("checklist_status", "a_fournir", "en_cours", "fourni", "valide")


def scoped(params: dict) -> dict:
    if not g.user.is_staff:
        params["structure_id"] = g.user.structure_id
    return params


@blp.get("/dossiers")
@login_required
def board():
    """One column per working stage, soonest deadline first; each column says how many cases
    it holds and leads to the full list when it shows only the first ones."""
    columns = []
    for code in BOARD_STAGES:
        cases, total = get_counted("accompagnement", "/api/cases", scoped({
            "stage": code, "sort": "deadline", "limit": PER_COLUMN}))
        columns.append((code, label("stage", code), cases, total))
    return render_template("cases/board.html", columns=columns, next_stage=NEXT_STAGE,
                           outcomes=OUTCOMES, form=EmptyForm())


def list_filters() -> tuple[dict, dict]:
    """The list's filters as the person chose them, and as accompagnement's parameters."""
    args = {name: request.args.get(name, "").strip() for name in
            ("q", "stage", "advisor", "structure", "deadline_from", "deadline_to", "state")}
    params: dict = {"sort": "deadline"}
    if args["q"]:
        params["q"] = args["q"][:200]
    if args["stage"] in LABELS["stage"]:
        params["stage"] = args["stage"]
    if args["state"] != "all":
        params["open"] = "true" if not params.get("stage") else "false"
    if args["advisor"] == "none":
        params["unassigned"] = "true"
    elif args["advisor"].isdigit():
        params["advisor_id"] = args["advisor"]
    if args["structure"].isdigit() and g.user.is_staff:
        params["structure_id"] = args["structure"]
    for name, end_of_day in (("deadline_from", False), ("deadline_to", True)):
        try:
            day = datetime.strptime(args[name], "%Y-%m-%d")
        except ValueError:
            continue
        moment = day.replace(hour=23, minute=59, second=59) if end_of_day else day
        params[name] = moment.replace(tzinfo=PARIS).isoformat()
    return args, scoped(params)


@blp.get("/dossiers/liste")
@login_required
def case_list():
    args, params = list_filters()
    page = request.args.get("page", "1")
    page = int(page) if page.isdigit() and int(page) > 0 else 1
    cases, total = get_counted("accompagnement", "/api/cases",
                               {**params, "limit": PAGE_SIZE, "offset": (page - 1) * PAGE_SIZE})
    pages = max(1, -(-total // PAGE_SIZE))
    return render_template(
        "cases/list.html", cases=cases, total=total, page=page, pages=pages, args=args,
        advisors=advisor_choices(include_none=False) if g.user.is_staff else [],
        structures=structure_choices() if g.user.is_staff else [])


def every_case(params: dict) -> list[dict]:
    """Every case the filters select, asked 200 at a time."""
    found, offset = [], 0
    while True:
        batch = call("accompagnement", "GET", "/api/cases",
                     params={**params, "limit": 200, "offset": offset})
        found += batch
        if len(batch) < 200:
            return found
        offset += 200


@blp.get("/dossiers.csv")
@login_required
def case_csv():
    _args, params = list_filters()
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(("dossier", "objet", "structure", "acheteur", "étape", "date limite",
                     "conseiller·ère", "montant gagné (euros HT)"))
    for case in every_case(params):
        writer.writerow((case["id"], case["title"], case["structure_name"] or "",
                         case["buyer_name"] or "", case["stage_label"],
                         french_date(case["deadline"]) if case["deadline"] else "",
                         (case["advisor"] or {}).get("name", ""),
                         "" if case["outcome_amount"] is None
                         else french.decimal_comma(case["outcome_amount"], 2)))
    return Response("\ufeff" + buffer.getvalue(), mimetype="text/csv", headers={
        "Content-Disposition": 'attachment; filename="dossiers.csv"'})


@blp.get("/dossiers/echeances")
@login_required
def this_week():
    """The deadlines of the next seven days (an advisor's own cases, or every case), all of
    them: page after page."""
    now = datetime.now(PARIS)
    params = scoped({"open": "true", "sort": "deadline", "deadline_from": now.isoformat(),
                     "deadline_to": (now + timedelta(days=7)).isoformat()})
    mine = my_advisor_id()
    if mine and request.args.get("tous") != "1":
        params["advisor_id"] = mine
    return render_template("cases/this_week.html", cases=every_case(params),
                           only_mine=bool(mine and request.args.get("tous") != "1"))


@blp.post("/dossiers/<int:case_id>/etape")
@staff_required
def move(case_id: int):
    form = StageForm(prefix="move")
    if not form.validate_on_submit() or not form.stage.data:
        if form.csrf_token.errors:
            abort(400)
        if form.override_reason.errors:
            flash("Changement refusé : le motif du dépôt malgré l'avertissement compte au "
                  "moins 3 caractères.", "error")
        else:
            flash("Changement refusé : choisissez une étape.", "error")
    else:
        body = {"stage": form.stage.data, "reason": form.reason.data or None}
        if form.override_reason.data:
            body["override_reason"] = form.override_reason.data
        try:
            case = call("accompagnement", "POST", f"/api/cases/{case_id}/stage", json_body=body)
            flash(f"Dossier passé à l'étape « {case['stage_label']} ».", "info")
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            flash(f"Changement refusé : {joined(exc) or exc.detail}", "error")
    if request.form.get("back") == "board":
        return redirect(url_for("cases.board"))
    return redirect(url_for("cases.detail", case_id=case_id))


def joined(exc: ApiError) -> str:
    return " ".join(m for messages in exc.field_errors().values() for m in messages)


@blp.post("/dossiers/<int:case_id>/resultat")
@staff_required
def outcome(case_id: int):
    form = OutcomeForm()
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash("Résultat refusé : " + " ".join(m for ms in form.errors.values() for m in ms),
              "error")
    else:
        try:
            case = call("accompagnement", "POST", f"/api/cases/{case_id}/outcome", json_body={
                "outcome": form.outcome.data,
                "amount": json_number(form.amount.data),
                "feedback": (form.feedback.data or "").strip() or None})
            flash(f"Résultat enregistré : {case['stage_label'].lower()}.", "info")
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            flash(f"Résultat refusé : {joined(exc) or exc.detail}", "error")
    return redirect(url_for("cases.detail", case_id=case_id) + "#resultat")


@blp.post("/dossiers/<int:case_id>/conseiller")
@staff_required
def assign(case_id: int):
    form = AdvisorForm()
    form.advisor_id.choices = advisor_choices()
    if form.validate_on_submit():
        chosen = int(form.advisor_id.data) if form.advisor_id.data else None
        call("accompagnement", "PUT", f"/api/cases/{case_id}/advisor",
             json_body={"advisor_id": chosen})
        flash("Conseiller·ère du dossier enregistré·e.", "info")
    elif form.csrf_token.errors:
        abort(400)
    return redirect(url_for("cases.detail", case_id=case_id))


@blp.route("/dossiers/<int:case_id>", methods=["GET", "POST"])
@login_required
def detail(case_id: int):
    note_form = NoteForm()
    if note_form.validate_on_submit():
        if not g.user.is_staff:
            abort(403)
        call("accompagnement", "POST", f"/api/cases/{case_id}/notes",
             json_body={"body": note_form.body.data, "shared": note_form.shared.data})
        flash("Note partagée avec la structure." if note_form.shared.data
              else "Note interne ajoutée.", "info")
        return redirect(url_for("cases.detail", case_id=case_id) + "#notes")
    case = call("accompagnement", "GET", f"/api/cases/{case_id}")
    checklist = optional(f"/api/cases/{case_id}/checklist")
    notes = call("accompagnement", "GET", f"/api/cases/{case_id}/notes")
    diagnosis = optional(f"/api/cases/{case_id}/diagnosis")
    consortium = optional(f"/api/cases/{case_id}/consortium")
    staff = g.user.is_staff
    time_spent = call("accompagnement", "GET", f"/api/cases/{case_id}/time") if staff else None
    audit = call("accompagnement", "GET", f"/api/cases/{case_id}/audit") if staff else []
    moves = [m for m in case["next_stages"] if m["stage"] not in OUTCOMES]
    stage_form = StageForm(formdata=None, prefix="move")
    stage_form.stage.choices = [(m["stage"], m["label"]) for m in moves]
    stage_form.stage.data = NEXT_STAGE.get(case["stage"])
    advisor_form = AdvisorForm(formdata=None)
    if staff:
        advisor_form.advisor_id.choices = advisor_choices()
        advisor_form.advisor_id.data = str(case["advisor"]["id"]) if case["advisor"] else ""
    return render_template(
        "cases/detail.html", case=case, checklist=checklist, notes=notes, diagnosis=diagnosis,
        consortium=consortium, time_spent=time_spent, audit=audit, moves=moves,
        can_record_outcome=any(m["stage"] in OUTCOMES for m in case["next_stages"]),
        stage_form=stage_form, note_form=note_form, advisor_form=advisor_form,
        outcome_form=OutcomeForm(formdata=None), time_form=TimeForm(formdata=None),
        form=EmptyForm(), statuses=CHECKLIST_STATUSES if staff else CHECKLIST_STATUSES[:3])


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
                "spent_on": form.spent_on.data.isoformat(), "hours": json_number(form.hours.data),
                "activity": form.activity.data, "comment": form.comment.data or None})
            flash("Temps enregistré.", "info")
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            flash(f"Temps refusé : {joined(exc) or exc.detail}", "error")
    else:
        if form.csrf_token.errors:
            abort(400)
        flash("Temps refusé : " + " ".join(
            f"{getattr(form, name).label.text} : {message}"
            for name, messages in form.errors.items() for message in messages), "error")
    return redirect(url_for("cases.detail", case_id=case_id) + "#temps")


@blp.post("/dossiers/<int:case_id>/temps/<int:entry_id>/supprimer")
@staff_required
def delete_time(case_id: int, entry_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    call("accompagnement", "DELETE", f"/api/cases/{case_id}/time/{entry_id}")
    flash("Saisie de temps supprimée.", "info")
    return redirect(url_for("cases.detail", case_id=case_id) + "#temps")


@blp.post("/dossiers/<int:case_id>/pieces")
@staff_required
def create_checklist(case_id: int):
    if EmptyForm().validate_on_submit():
        call("accompagnement", "POST", f"/api/cases/{case_id}/checklist", json_body={})
        flash("Liste des pièces créée.", "info")
    return redirect(url_for("cases.detail", case_id=case_id))


@blp.post("/dossiers/<int:case_id>/pieces/<kind>")
@login_required
def tick(case_id: int, kind: str):
    """Set a document's state, forward or back (a document ticked by mistake is unticked)."""
    status = request.form.get("status", "")
    if not EmptyForm().validate_on_submit() or status not in dict(CHECKLIST_STATUSES):
        abort(400)
    try:
        call("accompagnement", "PATCH", f"/api/cases/{case_id}/checklist/{kind}",
             json_body={"status": status})
        flash(f"Pièce mise à jour : {dict(CHECKLIST_STATUSES)[status].lower()}.", "info")
    except ApiError as exc:
        if exc.status not in (403, 409, 422):
            raise
        flash(f"Pièce non modifiée : {exc.detail}", "error")
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
    """The case gets the advisor who opens it unless another is chosen."""
    form = OpenCaseForm()
    form.structure_id.choices = structure_choices()
    form.advisor_id.choices = advisor_choices()
    if request.method == "GET":
        form.advisor_id.data = str(my_advisor_id() or "")
        if request.args.get("structure", "").isdigit():
            form.structure_id.data = request.args["structure"]
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        body = {"structure_id": int(form.structure_id.data), "tender_id": tender_id}
        if form.advisor_id.data:
            body["advisor_id"] = int(form.advisor_id.data)
        try:
            case = call("accompagnement", "POST", "/api/cases", json_body=body)
        except ApiError as exc:
            if exc.status not in (404, 409, 422):
                raise
            errors = exc.field_errors() or {"structure_id": [exc.detail]}
        else:
            flash("Dossier ouvert : il commence par le diagnostic.", "info")
            return redirect(url_for("cases.detail", case_id=case["id"]))
    tender = call("veille", "GET", f"/api/tenders/{tender_id}")
    return render_template("cases/open.html", form=form, tender=tender, errors=errors)


@blp.route("/dossiers/devis", methods=["GET", "POST"])
@staff_required
def open_private_quote():
    """A case for a private buyer's request for a quote (no published tender)."""
    form = PrivateQuoteForm()
    form.structure_id.choices = structure_choices()
    form.advisor_id.choices = advisor_choices()
    if request.method == "GET":
        form.advisor_id.data = str(my_advisor_id() or "")
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        body = {"structure_id": int(form.structure_id.data), "title": form.title.data.strip(),
                "buyer_name": form.buyer_name.data.strip(),
                "deadline": form.deadline.data.replace(tzinfo=PARIS).isoformat()}
        if form.advisor_id.data:
            body["advisor_id"] = int(form.advisor_id.data)
        try:
            case = call("accompagnement", "POST", "/api/cases", json_body=body)
        except ApiError as exc:
            if exc.status not in (404, 409, 422):
                raise
            errors = exc.field_errors() or {"title": [exc.detail]}
        else:
            flash("Dossier de demande de devis ouvert.", "info")
            return redirect(url_for("cases.detail", case_id=case["id"]))
    return render_template("cases/private_quote.html", form=form, errors=errors)

