"""Logging in and out, and accepting an invitation."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for

from centrale.french import plural

from .. import accounts, throttle
from ..security import client_ip, end_session, login_required, safe_next, start_session
from .forms import AcceptInvitationForm, EmptyForm, LoginForm

blp = Blueprint("auth", __name__)


def db():
    return current_app.extensions["centrale"].db


@blp.route("/connexion", methods=["GET", "POST"])
def login():
    form = LoginForm()
    # A form shown again with its errors answers 200, like any page: only a wait is a 429.
    status, headers = 200, {}
    if form.validate_on_submit():
        address = client_ip()
        with db().transaction() as conn:
            wait = throttle.seconds_to_wait(conn, form.email.data, address)
            user = None if wait else accounts.authenticate(conn, form.email.data,
                                                           form.password.data, address)
        if wait:
            flash("Trop de tentatives de connexion : réessayez dans "
                  f"{_duration(wait)}.", "error")
            status, headers = 429, {"Retry-After": str(wait)}
        elif user is None:
            flash("Adresse ou mot de passe incorrect.", "error")
        else:
            start_session(user)
            return redirect(safe_next(request.args.get("next")))
    return render_template("login.html", form=form), status, headers


def _duration(seconds: int) -> str:
    if seconds < 60:
        return plural(seconds, "seconde")
    return plural(-(-seconds // 60), "minute")


@blp.post("/deconnexion")
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        end_session()
        flash("Vous êtes déconnecté·e.", "info")
    return redirect(url_for("auth.login"))


@blp.post("/deconnexion-partout")
@login_required
def logout_everywhere():
    if EmptyForm().validate_on_submit():
        with db().transaction() as conn:
            accounts.end_all_sessions(conn, g.user.id)
        end_session()
        flash("Toutes vos sessions sont fermées.", "info")
    return redirect(url_for("auth.login"))


@blp.route("/invitation/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    with db().transaction() as conn:
        invitation = accounts.pending_invitation(conn, token)
    if invitation is None:
        return render_template("error.html", status=404, title="Invitation invalide",
                               message="Ce lien d'invitation a expiré ou a déjà servi."), 404
    form = AcceptInvitationForm()
    if form.validate_on_submit():
        with db().transaction() as conn:
            if accounts.find_user_by_email(conn, invitation["email"]):
                flash("Un compte existe déjà pour cette adresse : connectez-vous.", "error")
                return redirect(url_for("auth.login"))
            user = accounts.accept_invitation(conn, token, form.name.data, form.password.data)
        start_session(user)
        flash("Bienvenue ! Votre compte est créé.", "info")
        return redirect(url_for("home.index"))
    return render_template("invitation.html", form=form, email=invitation["email"])
