"""WTForms forms (every one carries its CSRF token); messages in French."""

from __future__ import annotations

from wtforms import (BooleanField, DateField, DateTimeLocalField, DecimalField, EmailField,
                     IntegerField, PasswordField, RadioField, SelectField, StringField,
                     TextAreaField, URLField)
from wtforms.validators import (DataRequired, Email, EqualTo, Length, NumberRange, Optional,
                                Regexp)

from flask_wtf import FlaskForm

from centrale.french import choices

REQUIRED = "Ce champ est obligatoire."


class LoginForm(FlaskForm):
    email = EmailField("Adresse électronique",
                       validators=[DataRequired(REQUIRED), Email("Adresse invalide.")])
    password = PasswordField("Mot de passe", validators=[DataRequired(REQUIRED)])


class AcceptInvitationForm(FlaskForm):
    name = StringField("Nom et prénom", validators=[DataRequired(REQUIRED), Length(2, 120)])
    password = PasswordField("Mot de passe (12 caractères au moins)", validators=[
        DataRequired(REQUIRED), Length(12, 200, "12 caractères au moins.")])
    confirm = PasswordField("Confirmez le mot de passe", validators=[
        DataRequired(REQUIRED), EqualTo("password", "Les deux mots de passe diffèrent.")])


class InviteForm(FlaskForm):
    email = EmailField("Adresse électronique",
                       validators=[DataRequired(REQUIRED), Email("Adresse invalide.")])
    role = SelectField("Rôle", choices=choices("role", "membre", "conseiller"))
    structure_id = StringField("Structure (numéro)", validators=[
        Optional(), Regexp(r"^\d{1,9}$", message="Numéro de structure attendu.")])


class DismissForm(FlaskForm):
    reason = TextAreaField("Pourquoi ce marché ne vous intéresse pas ?",
                           validators=[DataRequired(REQUIRED), Length(3, 1000)])


class ProfileForm(FlaskForm):
    name = StringField("Nom du profil", validators=[DataRequired(REQUIRED), Length(2, 120)])
    cpv_prefixes = StringField("Codes CPV ou débuts de codes (séparés par des virgules)",
                               validators=[Optional(), Length(max=500)])
    keywords = StringField("Mots-clés (séparés par des virgules)",
                           validators=[Optional(), Length(max=1000)])
    departments = StringField("Départements (ex. : 42, 43)", validators=[Optional(),
                                                                        Length(max=300)])
    reserved_only = BooleanField("Seulement les lots réservés")


SATISFACTION = [("5", "5 — très satisfait·e"), ("4", "4 — satisfait·e"), ("3", "3 — moyennement"),
                ("2", "2 — peu satisfait·e"), ("1", "1 — pas du tout satisfait·e")]


class SurveyForm(FlaskForm):
    score = RadioField("Êtes-vous satisfait·e de cette formation ?", choices=SATISFACTION,
                       validators=[DataRequired("Choisissez une note de 1 à 5.")])
    comment = TextAreaField("Un commentaire pour l'équipe (facultatif)",
                            validators=[Optional(), Length(max=4000,
                                        message="4 000 caractères au plus.")])


class EmptyForm(FlaskForm):
    """A form with nothing but its CSRF token (buttons that change something)."""


class RegistrationForm(FlaskForm):
    name = StringField("Nom et prénom de la personne", validators=[DataRequired(REQUIRED),
                                                                   Length(2, 200)])
    email = EmailField("Son adresse électronique",
                       validators=[DataRequired(REQUIRED), Email("Adresse invalide.")])
    structure_id = StringField("Structure (numéro)", validators=[Optional()])


STAGE_CHOICES = choices("stage", "drafting", "review", "submission", "awaiting_result",
                        "diagnosis", "abandoned", "missed", "won", "lost")


class StageForm(FlaskForm):
    stage = SelectField("Nouvelle étape", choices=STAGE_CHOICES)
    reason = StringField("Motif (facultatif)", validators=[Optional(), Length(max=500)])


class NoteForm(FlaskForm):
    body = TextAreaField("Nouvelle note", validators=[DataRequired(REQUIRED), Length(1, 10000)])


class OpenCaseForm(FlaskForm):
    structure_id = SelectField("Structure qui répond", choices=[])


ACTIVITIES = choices("journal_activity")


class TimeForm(FlaskForm):
    spent_on = DateField("Jour", validators=[DataRequired(REQUIRED)])
    hours = DecimalField("Heures", places=2, validators=[
        DataRequired(REQUIRED), NumberRange(0.25, 24, "Entre 0,25 et 24 heures.")])
    activity = SelectField("Activité", choices=ACTIVITIES)
    comment = StringField("Commentaire", validators=[Optional(), Length(max=2000)])


class MoveSessionForm(FlaskForm):
    """New dates of a training session, on the Paris clock (the browser's date-time fields)."""

    starts_at = DateTimeLocalField("Nouveau début", format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired("Indiquez le nouveau début.")])
    ends_at = DateTimeLocalField("Nouvelle fin", format="%Y-%m-%dT%H:%M",
                                 validators=[DataRequired("Indiquez la nouvelle fin.")])
    reason = StringField("Motif, dit aux inscrits (facultatif)",
                         validators=[Optional(), Length(3, 1000, "Entre 3 et 1 000 caractères.")])


class CancelSessionForm(FlaskForm):
    reason = StringField("Motif de l'annulation, dit aux inscrits", validators=[
        DataRequired("Indiquez le motif."), Length(3, 1000, "Entre 3 et 1 000 caractères.")])


class ScheduleSessionForm(FlaskForm):
    """A new training session; dates on the Paris clock. formation checks the rest (a future
    start, an end after it, a place or a video link) and its refusals are shown per field."""

    module_code = SelectField("Module", choices=[])
    starts_at = DateTimeLocalField("Début", format="%Y-%m-%dT%H:%M",
                                   validators=[DataRequired("Indiquez le début.")])
    ends_at = DateTimeLocalField("Fin", format="%Y-%m-%dT%H:%M",
                                 validators=[DataRequired("Indiquez la fin.")])
    place = StringField("Lieu (facultatif pour une visioconférence)",
                        validators=[Optional(), Length(2, 500)])
    video_url = URLField("Lien de visioconférence (facultatif)",
                         validators=[Optional(), Length(max=1000)])
    trainer = StringField("Formateur ou formatrice", validators=[DataRequired(REQUIRED),
                                                                Length(2, 200)])
    capacity = IntegerField("Places", validators=[
        DataRequired(REQUIRED), NumberRange(1, 500, "Entre 1 et 500 places.")])
