"""Everything shown to people is written one way: dates, deadlines, durations, amounts,
plurals and labels, in Europe/Paris (``centrale.french``, used by every service)."""

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from centrale.french import (LABELS, choices, countdown, decimal_comma, euros, hours,
                             join_with_et, label, long_date, long_datetime, parse_instant,
                             plural, quoted, recurrence, short_date, time_span,
                             whole_number)

PARIS = ZoneInfo("Europe/Paris")


def test_a_deadline_is_written_with_its_weekday_and_paris_clock():
    assert long_datetime(datetime(2027, 1, 20, 11, 0, tzinfo=timezone.utc)) == \
        "mercredi 20 janvier 2027 à 12 h 00"


def test_summer_time_is_paris_time_too():
    assert long_datetime(datetime(2027, 7, 14, 7, 30, tzinfo=timezone.utc)) == \
        "mercredi 14 juillet 2027 à 9 h 30"


def test_the_first_of_the_month_is_written_1er():
    assert long_date(date(2027, 2, 1)) == "lundi 1er février 2027"
    assert long_date(date(2027, 3, 4)) == "jeudi 4 mars 2027"


def test_a_table_column_has_the_short_date_in_paris():
    assert short_date(date(2027, 1, 5)) == "05/01/2027"
    # 23:30 UTC on the 31st is already the 1st in Paris.
    assert short_date(datetime(2026, 12, 31, 23, 30, tzinfo=timezone.utc)) == "01/01/2027"


def test_an_instant_keeps_its_offset_and_a_naive_one_is_paris_time():
    assert long_datetime(parse_instant("2027-01-20T12:00:00+01:00")) == \
        "mercredi 20 janvier 2027 à 12 h 00"
    assert long_datetime(parse_instant("2027-01-20T12:00:00")) == \
        "mercredi 20 janvier 2027 à 12 h 00"
    assert parse_instant("pas une date") is None
    assert parse_instant(None) is None


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        long_datetime(datetime(2027, 1, 20, 12, 0))


def test_a_session_reads_as_one_day_or_a_span_of_days():
    assert time_span(datetime(2027, 3, 4, 9, tzinfo=PARIS),
                     datetime(2027, 3, 4, 17, 30, tzinfo=PARIS)) == (
        "le jeudi 4 mars 2027, de 9 h à 17 h 30")
    assert time_span(datetime(2027, 3, 1, 9, tzinfo=PARIS),
                     datetime(2027, 3, 2, 17, tzinfo=PARIS)) == (
        "du lundi 1er mars 2027 à 9 h au mardi 2 mars 2027 à 17 h")


def test_durations_in_hours_and_minutes():
    assert [hours(Decimal(v)) for v in ("7", "3.5", "0.75", "10.25")] == [
        "7 h", "3 h 30", "0 h 45", "10 h 15"]


def test_recurrences():
    assert [recurrence(timedelta(**k)) for k in (
        {"hours": 1}, {"hours": 6}, {"days": 1}, {"days": 2}, {"minutes": 30})] == [
        "toutes les heures", "toutes les 6 heures", "tous les jours", "tous les 2 jours",
        "toutes les 30 minutes"]


def test_countdowns():
    assert [countdown(d) for d in (0, 1, 2, 15, -1, -3)] == [
        "aujourd'hui", "demain", "dans 2 jours", "dans 15 jours", "hier", "il y a 3 jours"]


def test_amounts():
    assert euros("12500") == "12 500,00 €"
    assert euros(Decimal("1234567.8")) == "1 234 567,80 €"
    assert euros(Decimal("0")) == "0,00 €"
    assert euros("n/a") is None and euros(None) is None and euros("") is None
    assert decimal_comma(Decimal("72.50")) == "72,5"
    assert decimal_comma(Decimal("65")) == "65"
    assert decimal_comma(Decimal("33.333"), 2) == "33,33"
    assert whole_number(1200) == "1 200" and whole_number(7) == "7"


def test_plurals_quotes_and_lists():
    assert plural(0, "jour") == "0 jour" and plural(1, "jour") == "1 jour"
    assert plural(10, "jour") == "10 jours" and plural(2, "travail", "travaux") == "2 travaux"
    assert quoted("Diagnostic") == "« Diagnostic »"
    assert join_with_et([]) == "" and join_with_et(["a"]) == "a"
    assert join_with_et(["lot 1", "lot 2", "lot 3"]) == "lot 1, lot 2 et lot 3"


def test_one_table_of_labels():
    assert label("stage", "awaiting_result") == "En attente du résultat"
    assert label("structure_category", "ea") == "Entreprise adaptée (EA)"
    assert label("session_status", "cancelled") == "Session annulée"
    # A code the table does not know yet reads as itself; no code reads « — ».
    assert label("stage", "new_stage") == "new stage"
    assert label("stage", None) == "—"
    with pytest.raises(KeyError):
        label("no such kind", "x")
    assert choices("stage", "won", "lost") == [("won", "Gagné"), ("lost", "Perdu")]
    assert [code for code, _ in choices("stage")] == list(LABELS["stage"])


def test_a_tender_s_lifecycle_reads_in_french():
    assert label("tender_state", "awarded") == "Attribué"
    assert label("tender_state", "closed") == "Clos, résultat attendu"
    assert label("tender_result", "unsuccessful") == "déclaré infructueux"
    assert label("tender_clause", "insertion") == "Clause d'insertion"
    assert label("feed_poll_status", "failed") == "En échec"
    # Every state can be searched for, and « all » too.
    assert set(LABELS["tender_state_filter"]) == set(LABELS["tender_state"]) | {"all"}


def test_the_table_cannot_be_changed_by_its_users():
    with pytest.raises(TypeError):
        LABELS["stage"]["won"] = "Remporté"  # type: ignore[index]
