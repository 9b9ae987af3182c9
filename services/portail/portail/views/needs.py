"""Buyers' needs in the portail: a buyer signs up (its address checked) or is invited, posts a
need, sees the structures' answers and records whom it chose; an advisor validates a need or
sends it back; a structure answers « intéressé » from the tender's page and lists its own
answers. Veille keeps the needs and decides who sees what: every call carries the person's
token."""

from __future__ import annotations

from datetime import datetime

from flask import (Blueprint, Response, abort, current_app, flash, g, redirect, render_template,
                   request, url_for)

from centrale.french import PARIS

from .. import accounts, pending
from ..antispam import HONEYPOT_FIELD, signup_refusal
from ..clients import ApiError, call
from ..links import public_url
from ..security import client_ip, login_required, staff_required, start_session
from .annuaire import ask_address_check
from .forms import EmptyForm, french_decimal, json_number
from .need_forms import BuyerSignupForm, InterestForm, NeedForm, ReviewForm

blp = Blueprint("needs", __name__)


def db():
    return current_app.extensions["centrale"].db


def buyer_or_staff() -> None:
    if not (g.user.is_buyer or g.user.is_staff):
        abort(403)


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


def _upload(file_storage) -> dict | None:
    if file_storage is None or not file_storage.filename:
        return None
    return {"file": (file_storage.filename, file_storage.stream,
                     file_storage.mimetype or "application/octet-stream")}


def need_body(form: NeedForm) -> dict:
    """The need as veille takes it: the organisation is the buyer's account's, never typed."""
    deadline = form.deadline.data.replace(tzinfo=PARIS)
    return {
        "buyer_name": g.user.organisation, "buyer_siret": g.user.organisation_siret,
        "buyer_kind": g.user.buyer_kind, "buyer_contact": g.user.name,
        "object": form.object.data.strip(), "description": form.description.data.strip(),
        "cpv_codes": _split(form.cpv_codes.data), "departement": form.departement.data.strip(),
        "place": (form.place.data or "").strip(),
        "lots": [{"title": line.strip()} for line in (form.lots.data or "").splitlines()
                 if line.strip()],
        "deadline": deadline.isoformat(), "budget_band": form.budget_band.data,
        "reservation": form.reservation.data, "social_clause": bool(form.social_clause.data),
        "insertion_hours": json_number(form.insertion_hours.data)}


@blp.route("/inscription-acheteur", methods=["GET", "POST"])
def signup():
    """A buyer's own account: kept pending until its address is confirmed by the link
    notifications mails; refused beyond a few sign-ups per address or connection."""
    form = BuyerSignupForm()
    if request.method == "POST" and request.form.get(HONEYPOT_FIELD):
        return render_template("needs/signup_sent.html")  # a robot: nothing is kept
    status = 200
    if form.validate_on_submit():
        with db().transaction() as conn:
            refusal = signup_refusal(conn, form.email.data, client_ip())
            # An address that has an account already is answered the same way, and mailed
            # nothing: nobody learns which addresses have accounts.
            if refusal is None and accounts.find_user_by_email(conn, form.email.data) is None:
                signup_pending = pending.create_signup(
                    conn, form.email.data, form.name.data, form.password.data,
                    accounts.Organisation(form.organisation.data.strip(),
                                          form.organisation_siret.data, form.buyer_kind.data),
                    client_ip())
                # Asked inside the transaction: if notifications does not take the check, no
                # sign-up is kept.
                ask_address_check(signup_pending, form.email.data, form.name.data, "signup",
                                  public_url("needs.confirm_signup", token=signup_pending.token))
        if refusal is None:
            return render_template("needs/signup_sent.html")
        flash(refusal, "error")
        status = 429
    elif request.method == "POST":
        status = 422
    return render_template("needs/signup.html", form=form, honeypot=HONEYPOT_FIELD), status


@blp.route("/inscription-acheteur/confirmer/<token>", methods=["GET", "POST"])
def confirm_signup(token: str):
    """The emailed link: a page with a button (a mail scanner opening the link creates
    nothing); the account exists once the button is pressed."""
    form = EmptyForm()
    with db().transaction() as conn:
        if pending.signup_to_confirm(conn, token) is None:
            return render_template("error.html", status=404, title="Lien invalide",
                                   message="Ce lien a expiré ou a déjà servi."), 404
        if not form.validate_on_submit():
            return render_template("needs/signup_confirm.html", form=form)
        user = pending.confirm_signup(conn, token)
    if user is None:
        return render_template("error.html", status=404, title="Lien invalide",
                               message="Un compte existe déjà pour cette adresse."), 404
    start_session(user)
    flash("Votre compte d'acheteur est créé. Déposez votre premier besoin.", "info")
    return redirect(url_for("needs.create"))


@blp.get("/besoins")
@login_required
def index():
    buyer_or_staff()
    status = request.args.get("statut") or None
    params = {"status": status} if status else {}
    found = call("veille", "GET", "/api/needs", params=params)
    return render_template("needs/list.html", needs=found, status=status)


@blp.route("/besoins/nouveau", methods=["GET", "POST"])
@login_required
def create():
    if not g.user.is_buyer:
        abort(403)
    form = NeedForm()
    errors: dict = {}
    suggested: list = []
    if form.validate_on_submit():
        if not _split(form.cpv_codes.data):
            # No code given: the need's words suggest some, shown before anything is saved.
            suggested = call("veille", "GET", "/api/needs/suggestions", params={
                "text": f"{form.object.data} {form.description.data}"})
            if suggested:
                form.cpv_codes.data = ", ".join(s["code"] for s in suggested[:3])
                flash("Nous vous suggérons des codes CPV d'après votre texte : vérifiez-les, "
                      "puis enregistrez le besoin.", "info")
                return render_template("needs/form.html", form=form, errors=errors,
                                       suggested=suggested)
        try:
            need = call("veille", "POST", "/api/needs", json_body=need_body(form))
        except ApiError as error:
            if error.status != 422:
                raise
            errors = error.field_errors()
        else:
            attachment = _upload(form.attachment.data)
            if attachment:
                try:
                    call("veille", "POST", f"/api/needs/{need['id']}/attachments",
                         files=attachment)
                except ApiError as error:
                    if error.status not in (413, 422):
                        raise
                    flash(f"Pièce jointe refusée : {error.detail}", "error")
            flash("Besoin enregistré : un conseiller de la Centrale le relit avant de le "
                  "publier.", "info")
            return redirect(url_for("needs.detail", need_id=need["id"]))
    status = 422 if request.method == "POST" and (form.errors or errors) else 200
    return render_template("needs/form.html", form=form, errors=errors,
                           suggested=suggested), status


@blp.get("/besoins/<int:need_id>")
@login_required
def detail(need_id: int):
    buyer_or_staff()
    need = call("veille", "GET", f"/api/needs/{need_id}")  # another buyer's: 404
    answers = call("veille", "GET", f"/api/needs/{need_id}/answers")
    return render_template("needs/detail.html", need=need, answers=answers,
                           review=ReviewForm(), form=EmptyForm())


@blp.post("/besoins/<int:need_id>/validation")
@staff_required
def review(need_id: int):
    form = ReviewForm()
    if form.validate_on_submit():
        try:
            call("veille", "POST", f"/api/needs/{need_id}/review", json_body={
                "decision": form.decision.data, "reason": form.reason.data or None})
            flash("Besoin publié : les structures concernées sont alertées."
                  if form.decision.data == "validate" else "Besoin renvoyé à l'acheteur.",
                  "info")
        except ApiError as error:
            if error.status not in (409, 422):
                raise
            flash(" ".join(m for ms in error.field_errors().values() for m in ms)
                  or error.detail, "error")
    else:
        flash("Choisissez une décision.", "error")
    return redirect(url_for("needs.detail", need_id=need_id))


@blp.post("/besoins/<int:need_id>/resultat")
@login_required
def outcome(need_id: int):
    if not g.user.is_buyer or not EmptyForm().validate_on_submit():
        abort(403)
    chosen = []
    try:
        for key in request.form:
            if key.startswith("chosen-") and key.removeprefix("chosen-").isdigit():
                structure_id = int(key.removeprefix("chosen-"))
                amount = french_decimal(request.form.get(f"amount-{structure_id}"))
                chosen.append({"structure_id": structure_id, "amount": json_number(amount)})
    except ValueError as error:
        flash(f"Montant illisible : {error}", "error")
        return redirect(url_for("needs.detail", need_id=need_id))
    try:
        call("veille", "POST", f"/api/needs/{need_id}/outcome", json_body={"chosen": chosen})
        flash("Résultat enregistré. Merci : il compte dans l'impact de la Centrale.", "info")
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        flash(" ".join(m for ms in error.field_errors().values() for m in ms) or error.detail,
              "error")
    return redirect(url_for("needs.detail", need_id=need_id))


@blp.post("/besoins/<int:need_id>/reponses/<int:answer_id>/dossier")
@staff_required
def open_case(need_id: int, answer_id: int):
    """An advisor opens the answering structure's case: on the need's tender for a public
    buyer, as a private buyer's request for a quote (``private_quote``) otherwise; the answer
    keeps the case's number."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    need = call("veille", "GET", f"/api/needs/{need_id}")
    answer = next((a for a in call("veille", "GET", f"/api/needs/{need_id}/answers")
                   if a["id"] == answer_id), None)
    if answer is None:
        abort(404)
    body = {"structure_id": answer["structure_id"], "title": need["object"]}
    if need["buyer_kind"] == "public" and need["tender_id"]:
        body["tender_id"] = need["tender_id"]
    else:
        body.update(buyer_name=need["buyer_name"], deadline=need["deadline"])
    try:
        case = call("accompagnement", "POST", "/api/cases", json_body=body)
    except ApiError as error:
        if error.status not in (409, 422):
            raise
        flash(error.detail, "error")
        return redirect(url_for("needs.detail", need_id=need_id))
    call("veille", "PUT", f"/api/need-answers/{answer_id}/case", json_body={"case_id": case["id"]})
    flash(f"Dossier ouvert pour {answer['structure_name']}.", "info")
    return redirect(url_for("cases.detail", case_id=case["id"]))


def _download(path: str) -> Response:
    answer = call("veille", "GET", path, raw=True)
    return Response(answer.content, mimetype=answer.headers.get("Content-Type"), headers={
        "Content-Disposition": answer.headers.get("Content-Disposition", "attachment"),
        "X-Content-Type-Options": "nosniff"})


@blp.get("/besoins/<int:need_id>/reponses/<int:answer_id>/devis/fichier")
@login_required
def quote(need_id: int, answer_id: int):
    return _download(f"/api/needs/{need_id}/answers/{answer_id}/quote")


@blp.get("/besoins/<int:need_id>/pieces/<int:attachment_id>/fichier")
@login_required
def attachment(need_id: int, attachment_id: int):
    return _download(f"/api/needs/{need_id}/attachments/{attachment_id}")


@blp.post("/besoins/<int:need_id>/interesse")
@login_required
def interest(need_id: int):
    """A structure's « intéressé », sent from the tender's page."""
    if not g.user.is_member:
        abort(403)
    form = InterestForm()
    tender_id = request.form.get("tender_id", type=int)
    back = (url_for("tenders.detail", tender_id=tender_id) if tender_id
            else url_for("needs.answers"))
    if form.validate_on_submit():
        try:
            call("veille", "POST", f"/api/needs/{need_id}/answers",
                 form={"message": form.message.data.strip()}, files=_upload(form.quote.data))
            flash("Votre intérêt est transmis à l'acheteur, avec votre message.", "info")
            return redirect(url_for("needs.answers"))
        except ApiError as error:
            if error.status not in (409, 413, 422):
                raise
            flash(" ".join(m for ms in error.field_errors().values() for m in ms)
                  or error.detail, "error")
    else:
        flash(" ".join(m for ms in form.errors.values() for m in ms), "error")
    return redirect(back)


@blp.get("/nos-reponses")
@login_required
def answers():
    """A structure's answers to buyers' needs, and what became of them."""
    if not g.user.is_member:
        abort(403)
    found = call("veille", "GET", "/api/need-answers")
    return render_template("needs/answers.html", answers=found,
                           today=datetime.now(PARIS))
