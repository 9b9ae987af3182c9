"""What concerns a person: their notifications and preferences, their structure's documents
and calendar; and, for advisors, inviting someone by email."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   url_for)

from .. import accounts
from ..clients import ApiError, call
from ..security import login_required, staff_required
from .forms import EmptyForm, InviteForm

blp = Blueprint("people", __name__)

MODES = [("immediate", "Tout de suite"), ("digest", "Dans le résumé du jour"),
         ("never", "Jamais")]


@blp.route("/notifications", methods=["GET", "POST"])
@login_required
def notifications():
    form = EmptyForm()
    if form.validate_on_submit():
        kind, mode = request.form.get("kind", ""), request.form.get("mode", "")
        if mode not in dict(MODES) or not kind.replace("_", "").isalnum():
            abort(400)
        call("notifications", "PUT", f"/api/preferences/{kind}", json_body={"mode": mode})
        flash("Préférence enregistrée.", "info")
        return redirect(url_for("people.notifications"))
    feed = call("notifications", "GET", "/api/feed", params={"limit": 50})
    preferences = call("notifications", "GET", "/api/preferences")
    return render_template("people/notifications.html", feed=feed, preferences=preferences,
                           modes=MODES, form=form)


@blp.post("/notifications/tout-lu")
@login_required
def read_all():
    if EmptyForm().validate_on_submit():
        call("notifications", "POST", "/api/feed/read-all")
        flash("Toutes les notifications sont lues.", "info")
    return redirect(url_for("people.notifications"))


@blp.get("/documents")
@login_required
def documents():
    if g.user.is_staff:
        chosen = request.args.get("structure", "")
        if not chosen.isdigit():
            abort(404)
        structure_id = int(chosen)
    else:
        structure_id = g.user.structure_id
    items = call("accompagnement", "GET", f"/api/structures/{structure_id}/documents")
    warnings = call("accompagnement", "GET", f"/api/structures/{structure_id}/documents/warnings")
    try:
        calendar = call("notifications", "GET", f"/api/structures/{structure_id}/calendar")
    except ApiError:
        calendar = None
    return render_template("people/documents.html", documents=items, warnings=warnings,
                           calendar=calendar)


def send_invitation(email: str, link: str) -> None:
    settings = current_app.extensions["centrale"].settings
    message = EmailMessage()
    message["Subject"] = "Votre accès à la Centrale des Marchés Solidaires"
    message["From"] = settings.option("NOTIFICATIONS_MAIL_FROM",
                                      "notifications@marches-solidaires.localhost")
    message["To"] = email
    message.set_content(
        "Bonjour,\n\n"
        f"{g.user.name} vous invite à rejoindre la Centrale des Marchés Solidaires.\n"
        f"Créez votre compte en suivant ce lien (valable 7 jours) :\n\n{link}\n\n"
        "Si vous n'attendiez pas cette invitation, ignorez ce message.\n")
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        smtp.send_message(message)


@blp.route("/invitations", methods=["GET", "POST"])
@staff_required
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        structure_id = int(form.structure_id.data) if form.structure_id.data else None
        if form.role.data == "membre" and structure_id is None:
            form.structure_id.errors = ["Un membre appartient à une structure."]
        else:
            db = current_app.extensions["centrale"].db
            with db.transaction() as conn:
                if accounts.find_user_by_email(conn, form.email.data):
                    form.email.errors = ["Un compte existe déjà pour cette adresse."]
                    return render_template("people/invite.html", form=form)
                token = accounts.create_invitation(conn, form.email.data, form.role.data,
                                                   structure_id, g.user.id)
                base = current_app.extensions["centrale"].settings.option(
                    "PORTAIL_PUBLIC_URL", request.host_url.rstrip("/"))
                # Sent inside the transaction: if the mail cannot leave, no invitation is kept.
                send_invitation(form.email.data, f"{base}{url_for('auth.accept_invitation', token=token)}")
            flash(f"Invitation envoyée à {form.email.data}.", "info")
            return redirect(url_for("people.invite"))
    return render_template("people/invite.html", form=form)
