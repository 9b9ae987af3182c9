"""The social-clause facilitator's forms: a note on a tender, following an awarded lot, the
hours of insertion done in a month."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, MonthField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from .forms import REQUIRED, FrenchDecimalField, one_line, plain_text

HOURS_MAX = 1_000_000


def hours_in_range(form, field) -> None:
    """0 to a million hours; a text that is no number is said so by the field alone."""
    if field.data is not None and not 0 <= field.data <= HOURS_MAX:
        raise ValidationError("Nombre d'heures positif attendu.")


class ClauseNoteForm(FlaskForm):
    hours_required = FrenchDecimalField("Heures d'insertion demandées par l'acheteur", validators=[
        Optional(), hours_in_range])
    buyer_contact = StringField("Contact chez l'acheteur (nom, téléphone, adresse)", validators=[
        Optional(), Length(max=300), one_line])
    note = TextAreaField("Note pour les conseillers", validators=[
        Optional(), Length(max=3000), plain_text])


class FollowForm(FlaskForm):
    """An awarded lot to follow: the winner and the title are read from veille by the view."""

    tender_id = HiddenField(validators=[DataRequired(REQUIRED)])
    lot_id = HiddenField()


class FrenchMonthField(MonthField):
    """A month (« 2026-12 », the browser's month field); refused in French."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError("Mois attendu (par exemple 2026-12).") from None


class MonthHoursForm(FlaskForm):
    month = FrenchMonthField("Mois", validators=[DataRequired("Choisissez le mois.")])
    # InputRequired: « Nombre attendu… » for a text that is not a number, not « obligatoire ».
    hours = FrenchDecimalField("Heures d'insertion faites (ex. : 120,5)", validators=[
        InputRequired(REQUIRED), hours_in_range])
