"""What concerns a person: their notifications and preferences, their structure's documents
and calendar; and, for advisors, inviting someone by email."""

from __future__ import annotations

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   url_for)

from centrale.french import choices

from .. import accounts
from ..clients import call
from ..links import public_url
from ..security import login_required, staff_required
from .forms import EmptyForm, InviteForm

blp = Blueprint("people", __name__)

MODES = choices("notification_mode")


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
    """A structure's documents live on its page (the expiry emails link here)."""
    if g.user.is_staff:
        chosen = request.args.get("structure", "")
        if not chosen.isdigit():
            return redirect(url_for("directory.structures"))
        structure_id = int(chosen)
    else:
        structure_id = g.user.structure_id
    return redirect(url_for("directory.structure", structure_id=structure_id) + "#documents")


def send_invitation(invitation: accounts.Invitation, link: str) -> None:
    """notifications sends it, like every other email: once, logged, by preference."""
    call("notifications", "POST", "/api/invitations", json_body={
        "invitation_id": str(invitation.id), "email": invitation.email, "link": link,
        "invited_by": g.user.name, "role": invitation.role,
        "structure_id": invitation.structure_id,
        "expires_at": invitation.expires_at.isoformat()})


@blp.route("/invitations", methods=["GET", "POST"])
@staff_required
def invite():
    form = InviteForm()
    if form.validate_on_submit():
        structure_id = int(form.structure_id.data) if form.structure_id.data else None
        organisation = None
        if form.role.data == "acheteur":
            organisation = accounts.Organisation(form.organisation.data or "",
                                                 form.organisation_siret.data or None,
                                                 form.buyer_kind.data)
        if form.role.data == "membre" and structure_id is None:
            form.structure_id.errors = ["Un membre appartient à une structure."]
        elif organisation is not None and not (organisation.name and organisation.siret):
            form.organisation.errors = ["Un acheteur est invité avec son organisme et le "
                                        "SIRET de celui-ci."]
        else:
            db = current_app.extensions["centrale"].db
            with db.transaction() as conn:
                if accounts.find_user_by_email(conn, form.email.data):
                    form.email.errors = ["Un compte existe déjà pour cette adresse."]
                    return render_template("people/invite.html", form=form)
                invitation = accounts.create_invitation(
                    conn, form.email.data, form.role.data,
                    structure_id if form.role.data == "membre" else None, g.user.id,
                    organisation)
                link = public_url("auth.accept_invitation", token=invitation.token)
                # Asked inside the transaction: if notifications does not take it, no
                # invitation is kept.
                send_invitation(invitation, link)
            flash(f"Invitation envoyée à {form.email.data}.", "info")
            return redirect(url_for("people.invite"))
    return render_template("people/invite.html", form=form)
