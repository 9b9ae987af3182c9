"""WTForms forms (every one carries its CSRF token); messages in French."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from wtforms import (BooleanField, DateField, DateTimeLocalField, DecimalField, EmailField, Field,
                     HiddenField, IntegerField, PasswordField, RadioField, SelectField,
                     SelectMultipleField, StringField, TextAreaField, URLField)
from wtforms.widgets import TextInput
from wtforms.validators import (DataRequired, Email, EqualTo, InputRequired, Length, NumberRange,
                                Optional, Regexp, ValidationError)

from flask_wtf import FlaskForm

from centrale.cpv import ACTIVITIES
from centrale.french import choices
from centrale.siret import InvalidSiret, validate_siret

from ..antispam import HONEYPOT_FIELD, markup_or_control, not_one_line

REQUIRED = "Ce champ est obligatoire."


def french_decimal(text: str | None) -> Decimal | None:
    """« 1,5 », « 1.5 », « 12 500,00 » as a Decimal; None when empty; ValueError (French) when
    it is not a number."""
    value = (text or "").strip().replace("\u202f", "").replace("\u00a0", "").replace(" ", "")
    value = value.removesuffix("€").removesuffix("h")
    if not value:
        return None
    if "," in value:
        if "." in value:  # « 1.234,50 »: the dot groups thousands
            value = value.replace(".", "")
        value = value.replace(",", ".")
    try:
        number = Decimal(value)
    except InvalidOperation:
        raise ValueError("Nombre attendu (par exemple 1,5).") from None
    if not number.is_finite():
        raise ValueError("Nombre attendu (par exemple 1,5).")
    return number


def json_number(value: Decimal | None) -> int | float | None:
    """A number read from a form as the JSON number the APIs take (never a decimal string:
    ``centrale.contract``); amounts and hours have at most 14 significant digits, exact in a
    double."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class FrenchDecimalField(Field):
    """A number written the French way (decimal comma) or the English way; never misread:
    « 1,5 » is one and a half, and anything else is refused by the field."""

    widget = TextInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("render_kw", {"inputmode": "decimal"})
        super().__init__(label, validators, **kwargs)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data).replace(".", ",")

    def process_formdata(self, valuelist):
        self.data = None
        if valuelist:
            try:
                self.data = french_decimal(valuelist[0])
            except ValueError as error:
                raise ValueError(str(error)) from None
def plain_text(form, field) -> None:
    """No markup, no control characters (hostile input is refused, not cleaned)."""
    reason = markup_or_control(field.data)
    if reason:
        raise ValidationError(reason)


def one_line(form, field) -> None:
    """A name or a subject: one line (no header injection), plain text."""
    reason = not_one_line(field.data)
    if reason:
        raise ValidationError(reason)


def checked_siret(form, field) -> None:
    try:
        field.data = validate_siret(field.data or "")
    except InvalidSiret as error:
        raise ValidationError(str(error)) from None


ACTIVITY_CHOICES = [(code, f"{label} ({code})") for code, label, _words in ACTIVITIES]


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
    role = SelectField("Rôle", choices=choices("role", "membre", "conseiller", "acheteur",
                                               "facilitateur"))
    structure_id = StringField("Structure (numéro)", validators=[
        Optional(), Regexp(r"^\d{1,9}$", message="Numéro de structure attendu.")])
    organisation = StringField("Organisme de l'acheteur", validators=[
        Optional(), Length(2, 200), one_line])
    organisation_siret = StringField("SIRET de l'organisme", validators=[Optional(),
                                                                        checked_siret])
    buyer_kind = SelectField("Type d'acheteur", choices=choices("buyer_kind"), default="public")


class DismissForm(FlaskForm):
    reason = TextAreaField("Pourquoi ce marché ne vous intéresse pas ?",
                           validators=[DataRequired(REQUIRED), Length(3, 1000)])


class ProfileForm(FlaskForm):
    name = StringField("Nom du profil", validators=[DataRequired(REQUIRED), Length(2, 120)])
    cpv_prefixes = StringField("Codes CPV ou débuts de codes (séparés par des virgules)",
                               validators=[Optional(), Length(max=500)])
    keywords = StringField("Mots-clés (séparés par des virgules)",
                           validators=[Optional(), Length(max=1000)])
    departments = StringField("Départements (ex. : 42, 43)",
                              validators=[Optional(), Length(max=300)])
    min_value = FrenchDecimalField("Montant estimé minimum, en euros HT (facultatif)",
                                   validators=[Optional(), NumberRange(0, None,
                                                                       "Montant positif attendu.")])
    max_value = FrenchDecimalField("Montant estimé maximum, en euros HT (facultatif)",
                                   validators=[Optional(), NumberRange(0, None,
                                                                       "Montant positif attendu.")])
    reserved_only = BooleanField("Seulement les lots réservés")
    # Checkboxes, drawn by the template as fieldsets (veille checks the codes again).
    clauses = SelectMultipleField("Lots portant une clause", choices=choices("tender_clause"),
                                  validate_choice=True)
    notice_kinds = SelectMultipleField("Avis suivis", choices=choices("profile_notice_kind"),
                                       validate_choice=True)


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
    structure_id = SelectField("Structure de la personne", choices=[], validate_choice=False)


class StageForm(FlaskForm):
    """The stages offered are the case's allowed moves (its API's ``next_stages``)."""

    stage = SelectField("Passer à l'étape", choices=[], validate_choice=False)
    reason = StringField("Motif (facultatif)", validators=[Optional(), Length(max=500)])
    override_reason = StringField("Motif pour déposer malgré l'avertissement",
                                  validators=[Optional(), Length(3, 2000)])


class NoteForm(FlaskForm):
    body = TextAreaField("Nouvelle note", validators=[DataRequired(REQUIRED), Length(1, 10000)])
    shared = BooleanField("Partager cette note avec la structure (sinon, note interne à la "
                          "Centrale)")


class OutcomeForm(FlaskForm):
    outcome = RadioField("Résultat", choices=[("won", "Gagné"), ("lost", "Perdu")],
                         validators=[DataRequired("Choisissez gagné ou perdu.")])
    amount = FrenchDecimalField("Montant attribué, en euros HT (obligatoire si gagné)",
                                validators=[Optional(), NumberRange(0, None,
                                                                    "Montant positif attendu.")])
    feedback = TextAreaField("Retour de l'acheteur (facultatif)",
                             validators=[Optional(), Length(max=4000)])


class AdvisorForm(FlaskForm):
    advisor_id = SelectField("Conseiller·ère du dossier", choices=[])


class PrivateQuoteForm(FlaskForm):
    """A private buyer's request for a quote: no tender, the buyer and the deadline by hand."""

    structure_id = SelectField("Structure qui répond", choices=[])
    title = StringField("Objet de la demande", validators=[DataRequired(REQUIRED),
                                                           Length(3, 500)])
    buyer_name = StringField("Acheteur (entreprise, bailleur…)",
                             validators=[DataRequired(REQUIRED), Length(2, 300)])
    deadline = DateTimeLocalField("Date limite de réponse", format="%Y-%m-%dT%H:%M",
                                  validators=[DataRequired("Indiquez la date limite.")])
    advisor_id = SelectField("Conseiller·ère", choices=[])


class OpenCaseForm(FlaskForm):
    structure_id = SelectField("Structure qui répond", choices=[])
    advisor_id = SelectField("Conseiller·ère du dossier", choices=[])


ACTIVITIES = choices("journal_activity")


class TimeForm(FlaskForm):
    spent_on = DateField("Jour", validators=[DataRequired(REQUIRED)])
    # InputRequired, not DataRequired: the latter would hide « Nombre attendu… » behind
    # « obligatoire » for a text that is not a number.
    hours = FrenchDecimalField("Heures (ex. : 1,5)", validators=[
        InputRequired(REQUIRED), NumberRange(Decimal("0.25"), 24, "Entre 0,25 et 24 heures.")])
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


class DirectorySearchForm(FlaskForm):
    """The public directory's search (a GET form: nothing changes, no CSRF token)."""

    class Meta:
        csrf = False

    q = StringField("Mots-clés", validators=[Optional(), Length(max=200)])
    category = SelectField("Catégorie", choices=[("", "Toutes")] + choices("structure_category"),
                           validate_choice=False)
    insertion_kind = SelectField("Type de structure d'insertion",
                                 choices=[("", "Tous")] + choices("insertion_kind"),
                                 validate_choice=False)
    departement = SelectField("Département", choices=[("", "Tous"), ("42", "Loire (42)"),
                                                      ("43", "Haute-Loire (43)")],
                              validate_choice=False)
    cpv = SelectField("Activité", choices=[("", "Toutes")] + ACTIVITY_CHOICES,
                      validate_choice=False)
    label = SelectField("Label", choices=[("", "Tous")], validate_choice=False)


class ContactForm(FlaskForm):
    sender_name = StringField("Votre nom", validators=[DataRequired(REQUIRED), Length(2, 200),
                                                       one_line])
    sender_email = EmailField("Votre adresse électronique (elle sera vérifiée)", validators=[
        DataRequired(REQUIRED), Email("Adresse invalide."), Length(max=254), one_line])
    organisation = StringField("Votre organisme (facultatif)",
                               validators=[Optional(), Length(max=200), one_line])
    subject = StringField("Objet", validators=[DataRequired(REQUIRED), Length(3, 150), one_line])
    body = TextAreaField("Votre message", validators=[
        DataRequired(REQUIRED), Length(10, 5000, "Entre 10 et 5 000 caractères."), plain_text])
    agree = BooleanField("J'accepte que la Centrale transmette mon nom, mon adresse et mon "
                         "message à cette structure.",
                         validators=[DataRequired("Cochez la case pour envoyer le message.")])


# A field people never see (hidden by the style sheet and from assistive technologies).
setattr(ContactForm, HONEYPOT_FIELD, StringField("Ne pas remplir", validators=[Optional()]))


class CardForm(FlaskForm):
    presentation = TextAreaField("Présentation de la structure", validators=[
        Optional(), Length(max=3000, message="3 000 caractères au plus."), plain_text])
    activities = SelectMultipleField("Activités (codes CPV)", choices=ACTIVITY_CHOICES,
                                     validate_choice=False)
    departements = StringField("Départements où vous travaillez (ex. : 42, 43)",
                               validators=[Optional(), Length(max=100), one_line])
    communes = StringField("Communes (séparées par des virgules)",
                           validators=[Optional(), Length(max=1000), one_line])
    labels = StringField("Labels et agréments (séparés par des virgules)",
                         validators=[Optional(), Length(max=1000), one_line])
    website = URLField("Site internet", validators=[Optional(), Length(max=300), one_line])


class ConsentForm(FlaskForm):
    given = HiddenField(validators=[DataRequired(), Regexp(r"^[01]$")])
