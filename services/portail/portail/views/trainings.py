"""The training calendar: sessions with their seats, registration of a structure's people,
cancellation (the waitlist moves up), the satisfaction survey after a session, certificates;
advisors see every list, move a session to other dates or cancel it (formation tells the
people either way)."""

from __future__ import annotations

from datetime import datetime
from typing import Callable

from flask import (Blueprint, Response, abort, flash, g, redirect, render_template, request,
                   url_for)

from centrale.french import PARIS

from ..clients import ApiError, call
from ..lookups import structure_choices, structure_names
from ..security import login_required, staff_required
from .forms import (CancelSessionForm, EmptyForm, MoveSessionForm, RegistrationForm,
                    ScheduleSessionForm, SurveyForm, french_decimal, json_number)

blp = Blueprint("trainings", __name__)
TOLD = {0: ".", 1: " : la personne inscrite reçoit les nouvelles dates."}


@blp.get("/formations")
@login_required
def calendar():
    sessions = call("formation", "GET", "/api/sessions",
                    params={"upcoming": "true", "limit": 100})
    mine, recommended, past = [], [], []
    if g.user.structure_id and not g.user.is_staff:
        mine = call("formation", "GET", "/api/registrations",
                    params={"structure_id": g.user.structure_id})
        try:
            recommended = call("formation", "GET",
                               f"/api/structures/{g.user.structure_id}/recommendations")["modules"]
        except ApiError:
            recommended = []
    if g.user.is_staff:
        # Sessions that have started: their attendance sheet is taken here.
        past = [s for s in call("formation", "GET", "/api/sessions",
                                params={"started": "true", "limit": 30})
                if s["status"] != "cancelled"]
    return render_template("trainings/calendar.html", sessions=sessions, mine=mine,
                           recommended=recommended, past=past, form=EmptyForm())


@blp.route("/formations/nouvelle", methods=["GET", "POST"])
@staff_required
def schedule():
    """Advisors schedule a session of a catalogue module; its workflow starts in formation."""
    form = ScheduleSessionForm()
    form.module_code.choices = [(m["code"], m["title"])
                                for m in call("formation", "GET", "/api/modules")]
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        try:
            session = call("formation", "POST", "/api/sessions", json_body={
                "module_code": form.module_code.data,
                "starts_at": form.starts_at.data.replace(tzinfo=PARIS).isoformat(),
                "ends_at": form.ends_at.data.replace(tzinfo=PARIS).isoformat(),
                "place": (form.place.data or "").strip() or None,
                "video_url": (form.video_url.data or "").strip() or None,
                "trainer": form.trainer.data.strip(), "capacity": form.capacity.data})
            flash("Session programmée : les rappels, la clôture des inscriptions et le "
                  "questionnaire suivront.", "info")
            return redirect(url_for("trainings.session_page", session_id=session["id"]))
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            errors = exc.field_errors() or {"module_code": [exc.detail]}
    return render_template("trainings/schedule.html", form=form, errors=errors)


@blp.route("/formations/<int:session_id>", methods=["GET", "POST"])
@login_required
def session_page(session_id: int):
    form = RegistrationForm()
    if g.user.is_staff:
        form.structure_id.choices = [("", "— choisissez la structure —")] + structure_choices()
    errors: dict[str, list[str]] = {}
    if form.validate_on_submit():
        body = {"name": form.name.data, "email": form.email.data}
        if g.user.is_staff:
            if not (form.structure_id.data or "").isdigit():
                errors["structure_id"] = ["Choisissez la structure de la personne."]
            else:
                body["structure_id"] = int(form.structure_id.data)
        if not errors:
            try:
                registration = call("formation", "POST",
                                    f"/api/sessions/{session_id}/registrations", json_body=body)
                if registration["status"] == "confirmed":
                    flash(f"{registration['name']} est inscrit·e.", "info")
                else:
                    flash(f"Session complète : {registration['name']} est en liste d'attente "
                          f"(position {registration['waitlist_position']}).", "info")
                return redirect(url_for("trainings.session_page", session_id=session_id))
            except ApiError as exc:
                if exc.status not in (409, 422):
                    raise
                errors = exc.field_errors() or {"name": [exc.detail]}
    session = call("formation", "GET", f"/api/sessions/{session_id}")
    registrations = call("formation", "GET", f"/api/sessions/{session_id}/registrations")
    move_form = MoveSessionForm(formdata=None, prefix="move", data={
        "starts_at": _paris_clock(session["starts_at"]),
        "ends_at": _paris_clock(session["ends_at"])})
    names = structure_names(r["structure_id"] for r in registrations) if g.user.is_staff else {}
    return render_template("trainings/session.html", session=session,
                           registrations=registrations, form=form, errors=errors, names=names,
                           cancel_form=EmptyForm(), move_form=move_form,
                           cancel_session_form=CancelSessionForm(formdata=None, prefix="cancel"))


def _paris_clock(value: str) -> datetime:
    return datetime.fromisoformat(value).astimezone(PARIS).replace(tzinfo=None)


def _session_action(session_id: int, form, refused: str, act: Callable[[], str]) -> Response:
    """An advisor's action from a session's page: ``act()`` calls formation and says what was
    done; a form error or formation's refusal is flashed after ``refused``."""
    if not form.validate_on_submit():
        if form.csrf_token.errors:
            abort(400)
        flash(f"{refused} : " + _joined(form.errors), "error")
    else:
        try:
            flash(act(), "info")
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            flash(f"{refused} : " + (_joined(exc.field_errors()) or exc.detail), "error")
    return redirect(url_for("trainings.session_page", session_id=session_id))


def _joined(errors: dict[str, list[str]]) -> str:
    return " ".join(message for messages in errors.values() for message in messages)


@blp.post("/formations/<int:session_id>/deplacer")
@staff_required
def move(session_id: int):
    """Advisors move a session; formation refuses a move it cannot make, with its reason."""
    form = MoveSessionForm(prefix="move")

    def reschedule() -> str:
        session = call("formation", "POST", f"/api/sessions/{session_id}/reschedule", json_body={
            "starts_at": form.starts_at.data.replace(tzinfo=PARIS).isoformat(),
            "ends_at": form.ends_at.data.replace(tzinfo=PARIS).isoformat(),
            "reason": (form.reason.data or "").strip() or None})
        people = session["confirmed_count"] + session["waitlisted_count"]
        return "Session déplacée" + TOLD.get(people, " : les {n} personnes inscrites ou en liste "
                                                     "d'attente reçoivent les nouvelles dates."
                                             ).format(n=people)

    return _session_action(session_id, form, "Déplacement refusé", reschedule)


@blp.post("/formations/<int:session_id>/annuler")
@staff_required
def cancel_session(session_id: int):
    """Advisors cancel a session; its workflow tells everyone registered or waitlisted."""
    form = CancelSessionForm(prefix="cancel")

    def cancel() -> str:
        call("formation", "POST", f"/api/sessions/{session_id}/cancel",
             json_body={"reason": form.reason.data.strip()})
        return "Session annulée : les personnes inscrites ou en liste d'attente sont prévenues."

    return _session_action(session_id, form, "Annulation refusée", cancel)


@blp.post("/inscriptions/<int:registration_id>/annuler")
@login_required
def cancel(registration_id: int):
    if not EmptyForm().validate_on_submit():
        abort(400)
    result = call("formation", "POST", f"/api/registrations/{registration_id}/cancel")
    flash("Inscription annulée." + (" La liste d'attente avance." if result["promoted"] else ""),
          "info")
    back = request.form.get("back", "")
    if back.isdigit():
        return redirect(url_for("trainings.session_page", session_id=int(back)))
    return redirect(url_for("trainings.calendar"))


@blp.get("/inscriptions/<int:registration_id>/attestation.pdf")
@login_required
def certificate(registration_id: int):
    response = call("formation", "GET", f"/api/registrations/{registration_id}/certificate.pdf",
                    raw=True)
    return Response(response.content, mimetype="application/pdf", headers={
        "Content-Disposition": f'attachment; filename="attestation-{registration_id}.pdf"'})


@blp.route("/inscriptions/<int:registration_id>/avis", methods=["GET", "POST"])
@login_required
def survey(registration_id: int):
    """The satisfaction survey of one participant, answered once after the session (the email
    of ``training.survey_requested`` sends people here). formation decides who may answer and
    when: its refusal is shown as it is."""
    registration = call("formation", "GET", f"/api/registrations/{registration_id}")
    form = SurveyForm()
    refusal = None
    if registration["survey"] is None and form.validate_on_submit():
        try:
            call("formation", "POST", f"/api/registrations/{registration_id}/survey",
                 json_body={"score": int(form.score.data),
                            "comment": (form.comment.data or "").strip() or None})
            flash("Merci : votre avis est enregistré.", "info")
            return redirect(url_for("trainings.calendar"))
        except ApiError as exc:
            if exc.status not in (409, 422):
                raise
            refusal = exc.detail
    session = call("formation", "GET", f"/api/sessions/{registration['session_id']}")
    return render_template("trainings/survey.html", registration=registration, session=session,
                           form=form, refusal=refusal)


@blp.route("/formations/<int:session_id>/presences", methods=["GET", "POST"])
@staff_required
def attendance(session_id: int):
    """The attendance sheet: who came, and for how long when they left early. formation
    refuses it before the session starts; the certificates follow from it."""
    session = call("formation", "GET", f"/api/sessions/{session_id}")
    registrations = [r for r in call("formation", "GET",
                                     f"/api/sessions/{session_id}/registrations")
                     if r["status"] == "confirmed"]
    form = EmptyForm()
    errors: list[str] = []
    if form.validate_on_submit():
        lines = []
        for r in registrations:
            line = {"registration_id": r["id"],
                    "attended": request.form.get(f"present-{r['id']}") == "oui"}
            try:
                hours = french_decimal(request.form.get(f"hours-{r['id']}"))
            except ValueError as error:
                errors.append(f"{r['name']} : {error}")
                continue
            if hours is not None and line["attended"]:
                line["hours"] = json_number(hours)
            lines.append(line)
        if not errors and lines:
            try:
                call("formation", "POST", f"/api/sessions/{session_id}/attendance",
                     json_body={"attendance": lines})
                flash("Feuille de présence enregistrée : les attestations sont disponibles.",
                      "info")
                return redirect(url_for("trainings.attendance", session_id=session_id))
            except ApiError as exc:
                if exc.status not in (409, 422):
                    raise
                errors = [exc.detail]
    elif request.method == "POST":
        abort(400)
    names = structure_names(r["structure_id"] for r in registrations)
    return render_template("trainings/attendance.html", session=session,
                           registrations=registrations, names=names, form=form, errors=errors)
