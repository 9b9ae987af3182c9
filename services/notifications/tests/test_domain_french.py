"""Dates and amounts written the French way, in Europe/Paris."""

from datetime import date, datetime, timezone

from notifications.domain.french import (countdown, euros, join_with_et, long_date,
                                         long_datetime, parse_instant, plural)


def test_a_deadline_is_written_with_its_weekday_and_paris_clock():
    assert long_datetime(datetime(2027, 1, 20, 11, 0, tzinfo=timezone.utc)) == \
        "mercredi 20 janvier 2027 à 12 h 00"


def test_summer_time_is_paris_time_too():
    assert long_datetime(datetime(2027, 7, 14, 7, 30, tzinfo=timezone.utc)) == \
        "mercredi 14 juillet 2027 à 9 h 30"


def test_the_first_of_the_month_is_written_1er():
    assert long_date(date(2027, 2, 1)) == "lundi 1er février 2027"


def test_an_event_instant_keeps_its_offset_and_a_naive_one_is_paris_time():
    assert long_datetime(parse_instant("2027-01-20T12:00:00+01:00")) == \
        "mercredi 20 janvier 2027 à 12 h 00"
    assert long_datetime(parse_instant("2027-01-20T12:00:00")) == \
        "mercredi 20 janvier 2027 à 12 h 00"
    assert parse_instant("pas une date") is None
    assert parse_instant(None) is None


def test_countdowns():
    assert [countdown(d) for d in (0, 1, 2, 15, -1, -3)] == [
        "aujourd'hui", "demain", "dans 2 jours", "dans 15 jours", "hier", "il y a 3 jours"]


def test_amounts_plural_and_lists():
    assert euros("12500") == "12 500,00 €"
    assert euros("1234567.5") == "1 234 567,50 €"
    assert euros("n/a") is None and euros(None) is None
    assert plural(1, "jour") == "1 jour" and plural(10, "jour") == "10 jours"
    assert join_with_et(["a", "b", "c"]) == "a, b et c"
