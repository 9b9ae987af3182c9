"""The public directory of the territory's structures (no account needed): search, a page per
structure with the contracts it won, and the contact form, relayed once its sender confirmed
their address; and, for a structure's members, their own card and consent."""

from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   url_for)

from .. import pending
from ..antispam import HONEYPOT_FIELD, message_refusal
from ..clients import ApiError, call
from ..links import public_url
from ..security import client_ip, login_required
from .forms import CardForm, ConsentForm, ContactForm, DirectorySearchForm, EmptyForm

blp = Blueprint("annuaire", __name__)

PAGE_SIZE = 20


def db():
    return current_app.extensions["centrale"].db


def ask_address_check(waiting: pending.Pending, email: str, name: str, purpose: str,
                      link: str) -> None:
    """notifications mails the link that confirms an address someone typed (a contact
    message's sender, a buyer signing up), once per check."""
    call("notifications", "POST", "/api/email-checks", as_service=True, json_body={
        "check_id": str(waiting.id), "email": email.strip(), "name": name.strip(),
        "purpose": purpose, "link": link, "expires_at": waiting.expires_at.isoformat()})


@blp.get("/annuaire")
def search():
    form = DirectorySearchForm(request.args)
    page = max(1, request.args.get("page", 1, type=int) or 1)
    valid = form.validate()
    params = {name: form[name].data for name in ("q", "category", "insertion_kind",
                                                  "departement", "cpv", "label")
              if valid and form[name].data}
    params.update(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE)
    try:
        found = call("accompagnement", "GET", "/api/directory", params=params, as_service=True)
    except ApiError as error:
        if error.status != 422:
            raise
        found, form.q.errors = {"items": [], "total": 0, "labels": []}, [error.detail]
    form.label.choices = [("", "Tous")] + [(text, text) for text in found["labels"]]
    pages = max(1, -(-found["total"] // PAGE_SIZE))
    return render_template("annuaire/search.html", form=form, found=found, page=page,
                           pages=pages, args={k: v for k, v in params.items()
                                              if k not in ("limit", "offset")})


def public_card(structure_id: int) -> dict:
    """A listed structure's card (404 for any other: not listed, or unknown)."""
    return call("accompagnement", "GET", f"/api/directory/{structure_id}", as_service=True)


def references(siret: str) -> dict | None:
    """The contracts the structure won, from veille's awards by its SIRET (None: none known)."""
    try:
        return call("veille", "GET", f"/api/winners/{siret}", as_service=True)
    except ApiError as error:
        if error.status == 404:
            return None
        raise


@blp.get("/annuaire/<int:structure_id>")
def card(structure_id: int):
    structure = public_card(structure_id)
    return render_template("annuaire/card.html", structure=structure,
                           won=references(structure["siret"]), form=ContactForm(),
                           honeypot=HONEYPOT_FIELD)


@blp.post("/annuaire/<int:structure_id>/contact")
def contact(structure_id: int):
    structure = public_card(structure_id)
    form = ContactForm()
    if request.form.get(HONEYPOT_FIELD):
        # A robot filled the field people never see: answer as if it worked, send nothing.
        return render_template("annuaire/sent.html", structure=structure), 200
    if form.validate_on_submit():
        with db().transaction() as conn:
            refusal = message_refusal(conn, form.sender_email.data, client_ip(), structure_id)
            if refusal is None:
                message = pending.create_message(
                    conn, structure_id, form.sender_name.data, form.sender_email.data,
                    form.organisation.data, form.subject.data, form.body.data, client_ip())
                # Asked inside the transaction: if notifications does not take the check, no
                # message is kept.
                ask_address_check(message, form.sender_email.data, form.sender_name.data,
                                  "contact", public_url("annuaire.confirm", token=message.token))
        if refusal is None:
            return render_template("annuaire/sent.html", structure=structure), 200
        flash(refusal, "error")
        status = 429
    else:
        status = 422 if request.method == "POST" and form.errors else 200
    return render_template("annuaire/card.html", structure=structure,
                           won=references(structure["siret"]), form=form,
                           honeypot=HONEYPOT_FIELD), status


@blp.route("/annuaire/confirmer/<token>", methods=["GET", "POST"])
def confirm(token: str):
    """The link of the address check: a page with a button (a link opened by a mail scanner
    sends nothing), which relays the message to the structure's contacts."""
    form = EmptyForm()
    with db().transaction() as conn:
        message = pending.message_to_confirm(conn, token)
        if message is None:
            return render_template("error.html", status=404, title="Lien invalide",
                                   message="Ce lien a expiré ou le message a déjà été "
                                           "envoyé."), 404
        if not form.validate_on_submit():
            return render_template("annuaire/confirm.html", message=message, form=form)
        call("notifications", "POST", "/api/directory-messages", as_service=True, json_body={
            "message_id": str(message["id"]), "structure_id": message["structure_id"],
            "sender_name": message["sender_name"], "sender_email": message["sender_email"],
            "organisation": message["organisation"], "subject": message["subject"],
            "body": message["body"]})
        pending.mark_relayed(conn, message["id"])
    flash("Votre message est transmis à la structure. Elle vous répondra à votre adresse.",
          "info")
    return redirect(url_for("annuaire.card", structure_id=message["structure_id"]))


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@blp.route("/ma-fiche", methods=["GET", "POST"])
@login_required
def my_card():
    """A structure's public card, as its members write it, and its consent."""
    if not g.user.is_member:
        abort(403)
    path = f"/api/structures/{g.user.structure_id}/directory-card"
    current = call("accompagnement", "GET", path)
    form = CardForm()
    errors: dict = {}
    if form.validate_on_submit():
        try:
            current = call("accompagnement", "PUT", path, json_body={
                "presentation": form.presentation.data or "",
                "activities": form.activities.data or [],
                "departements": _split(form.departements.data),
                "communes": _split(form.communes.data), "labels": _split(form.labels.data),
                "website": form.website.data or None})
            flash("Fiche enregistrée.", "info")
            return redirect(url_for("annuaire.my_card"))
        except ApiError as error:
            if error.status != 422:
                raise
            errors = error.field_errors()
    elif request.method == "GET":
        form.presentation.data = current["presentation"]
        form.activities.data = [a["code"] for a in current["activities"]]
        form.departements.data = ", ".join(d["code"] for d in current["departements"])
        form.communes.data = ", ".join(current["communes"])
        form.labels.data = ", ".join(current["labels"])
        form.website.data = current["website"]
    known = {code for code, _label in form.activities.choices}
    form.activities.choices = form.activities.choices + [
        (a["code"], f"{a['label'] or 'Code'} ({a['code']})") for a in current["activities"]
        if a["code"] not in known]
    return render_template("annuaire/my_card.html", card=current, form=form, errors=errors,
                           consent=ConsentForm(given="0" if current["listed"] else "1")), \
        422 if errors else 200


@blp.post("/ma-fiche/accord")
@login_required
def my_consent():
    if not g.user.is_member:
        abort(403)
    form = ConsentForm()
    if form.validate_on_submit():
        given = form.given.data == "1"
        call("accompagnement", "PUT", f"/api/structures/{g.user.structure_id}/directory-consent",
             json_body={"given": given})
        flash("Votre structure figure désormais dans l'annuaire public." if given else
              "Votre structure ne figure plus dans l'annuaire public.", "info")
    return redirect(url_for("annuaire.my_card"))
