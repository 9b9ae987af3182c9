"""The forms of buyers' needs: a buyer's sign-up, a need, an advisor's review, a structure's
« intéressé », the buyer's outcome."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (BooleanField, DateTimeLocalField, EmailField, PasswordField, RadioField,
                     SelectField, StringField, TextAreaField)
from wtforms.validators import DataRequired, Email, EqualTo, Length, NumberRange, Optional

from centrale.french import choices

from ..antispam import HONEYPOT_FIELD
from .forms import REQUIRED, FrenchDecimalField, checked_siret, one_line, plain_text


class BuyerSignupForm(FlaskForm):
    name = StringField("Votre nom et prénom", validators=[DataRequired(REQUIRED), Length(2, 120),
                                                          one_line])
    email = EmailField("Votre adresse électronique professionnelle (elle sera vérifiée)",
                       validators=[DataRequired(REQUIRED), Email("Adresse invalide."),
                                   Length(max=254), one_line])
    organisation = StringField("Votre organisme (collectivité, entreprise…)", validators=[
        DataRequired(REQUIRED), Length(2, 200), one_line])
    organisation_siret = StringField("SIRET de l'organisme (14 chiffres)", validators=[
        DataRequired(REQUIRED), checked_siret])
    buyer_kind = RadioField("Vous êtes", choices=choices("buyer_kind"), default="public",
                            validators=[DataRequired(REQUIRED)])
    password = PasswordField("Mot de passe (12 caractères au moins)", validators=[
        DataRequired(REQUIRED), Length(12, 200, "12 caractères au moins.")])
    confirm = PasswordField("Confirmez le mot de passe", validators=[
        DataRequired(REQUIRED), EqualTo("password", "Les deux mots de passe diffèrent.")])


setattr(BuyerSignupForm, HONEYPOT_FIELD, StringField("Ne pas remplir", validators=[Optional()]))


class NeedForm(FlaskForm):
    object = StringField("Objet du besoin", validators=[DataRequired(REQUIRED), Length(5, 300),
                                                       one_line])
    description = TextAreaField("Description (ce qu'il faut faire, quand, les quantités)",
                                validators=[DataRequired(REQUIRED), Length(10, 10000),
                                            plain_text])
    cpv_codes = StringField("Codes CPV (séparés par des virgules ; laissés vides, la Centrale "
                            "vous en suggère d'après votre texte)",
                            validators=[Optional(), Length(max=200), one_line])
    departement = StringField("Département (numéro ou nom)", validators=[
        DataRequired(REQUIRED), Length(max=40), one_line])
    place = StringField("Lieu d'exécution (commune, site)", validators=[
        Optional(), Length(max=300), one_line])
    lots = TextAreaField("Lots (un par ligne, facultatif)", validators=[
        Optional(), Length(max=3000), plain_text])
    deadline = DateTimeLocalField("Date limite de réponse", format="%Y-%m-%dT%H:%M",
                                  validators=[DataRequired("Date et heure attendues.")])
    budget_band = SelectField("Budget", choices=choices("budget_band"), default="unknown")
    reservation = SelectField("Réservation", choices=choices("need_reservation"), default="none")
    social_clause = BooleanField("Le marché comporte une clause sociale (insertion)")
    insertion_hours = FrenchDecimalField("Heures d'insertion demandées (facultatif)", validators=[
        Optional(), NumberRange(0.5, 1_000_000, "Nombre d'heures positif attendu.")])
    attachment = FileField("Pièce jointe (cahier des charges, plan… ; facultatif, 2 Mio)")


class ReviewForm(FlaskForm):
    decision = RadioField("Décision", choices=[("validate", "Valider et publier"),
                                               ("return", "Renvoyer à l'acheteur")],
                          validators=[DataRequired(REQUIRED)])
    reason = TextAreaField("Ce que l'acheteur doit revoir (si vous le renvoyez)",
                           validators=[Optional(), Length(max=2000), plain_text])


class InterestForm(FlaskForm):
    message = TextAreaField("Votre message à l'acheteur", validators=[
        DataRequired(REQUIRED), Length(5, 5000, "Entre 5 et 5 000 caractères."), plain_text])
    quote = FileField("Votre devis (facultatif, PDF ou document, 2 Mio)")


class OutcomeForm(FlaskForm):
    """The structures chosen are checked boxes named ``chosen-<structure_id>``, with their
    amounts ``amount-<structure_id>``: read from the request by the view."""
