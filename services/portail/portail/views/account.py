"""Account self-service: a person changes their password, or resets a forgotten one from an
emailed link (valid one hour, once); an admin deactivates or reactivates an account."""

from __future__ import annotations

import uuid

from flask import (Blueprint, abort, current_app, flash, g, redirect, render_template, request,
                   url_for)
from wtforms import EmailField, PasswordField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from flask_wtf import FlaskForm

from .. import accounts
from ..clients import call
from ..links import public_url
from ..security import login_required, start_session
from .forms import REQUIRED, EmptyForm

blp = Blueprint("account", __name__)


def db():
    return current_app.extensions["centrale"].db


class NewPasswordForm(FlaskForm):
    password = PasswordField("Nouveau mot de passe (12 caractères au moins)", validators=[
        DataRequired(REQUIRED), Length(12, 200, "12 caractères au moins.")])
    confirm = PasswordField("Confirmez le nouveau mot de passe", validators=[
        DataRequired(REQUIRED), EqualTo("password", "Les deux mots de passe diffèrent.")])


class ChangePasswordForm(NewPasswordForm):
    current = PasswordField("Mot de passe actuel", validators=[DataRequired(REQUIRED)])


class ForgottenForm(FlaskForm):
    email = EmailField("Adresse électronique de votre compte",
                       validators=[DataRequired(REQUIRED), Email("Adresse invalide.")])


@blp.route("/compte", methods=["GET", "POST"])
@login_required
def account():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        with db().transaction() as conn:
            if not accounts.password_matches(conn, g.user.id, form.current.data):
                form.current.errors = ["Ce n'est pas votre mot de passe actuel."]
                return render_template("account/account.html", form=form)
            user = accounts.change_password(conn, g.user.id, form.password.data)
        start_session(user)  # this one goes on; every other session is ended
        flash("Mot de passe changé : vos autres sessions sont fermées.", "info")
        return redirect(url_for("account.account"))
    return render_template("account/account.html", form=form)


@blp.route("/mot-de-passe-oublie", methods=["GET", "POST"])
def forgotten():
    form = ForgottenForm()
    if form.validate_on_submit():
        with db().transaction() as conn:
            found = accounts.create_reset(conn, form.email.data)
            if found is not None:
                user, token, expires_at = found
                # notifications sends it, like every email; asked inside the transaction: if it
                # does not take it, no link is kept.
                call("notifications", "POST", "/api/password-resets", json_body={
                    "reset_id": str(uuid.uuid4()), "email": user.email, "name": user.name,
                    "link": public_url("account.reset", token=token),
                    "expires_at": expires_at})
        flash("Si un compte existe pour cette adresse, un lien pour choisir un nouveau mot de "
              "passe vient de lui être envoyé.", "info")
        return redirect(url_for("auth.login"))
    return render_template("account/forgotten.html", form=form)


@blp.route("/mot-de-passe/<token>", methods=["GET", "POST"])
def reset(token: str):
    with db().transaction() as conn:
        pending = accounts.pending_reset(conn, token)
    if pending is None:
        return render_template("error.html", status=404, title="Lien invalide",
                               message="Ce lien a expiré ou a déjà servi : demandez-en un "
                                       "nouveau."), 404
    form = NewPasswordForm()
    if form.validate_on_submit():
        with db().transaction() as conn:
            user = accounts.use_reset(conn, token, form.password.data)
        if user is None:
            abort(404)
        flash("Mot de passe changé : connectez-vous avec le nouveau.", "info")
        return redirect(url_for("auth.login"))
    return render_template("account/reset.html", form=form)


@blp.get("/comptes")
@login_required
def users():
    if g.user.role != "admin":
        abort(403)
    with db().transaction() as conn:
        people = accounts.list_users(conn)
    return render_template("account/users.html", people=people, form=EmptyForm())


@blp.post("/comptes/<int:user_id>/activation")
@login_required
def set_active(user_id: int):
    if g.user.role != "admin":
        abort(403)
    action = request.form.get("action")
    if not EmptyForm().validate_on_submit() or action not in ("desactiver", "reactiver"):
        abort(400)
    if user_id == g.user.id:
        flash("Vous ne pouvez pas désactiver votre propre compte.", "error")
        return redirect(url_for("account.users"))
    with db().transaction() as conn:
        if not accounts.set_active(conn, user_id, action == "reactiver"):
            abort(404)
    flash("Compte désactivé : ses sessions sont fermées." if action == "desactiver"
          else "Compte réactivé.", "info")
    return redirect(url_for("account.users"))
