from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from formation.domain.catalogue import CATALOGUE_CODES, normalise_codes
from formation.domain.french import hours, long_date, time_span

PARIS = ZoneInfo("Europe/Paris")


def test_french_dates_and_durations():
    assert long_date(date(2027, 3, 4)) == "jeudi 4 mars 2027"
    assert long_date(date(2027, 8, 1)) == "dimanche 1er août 2027"
    assert time_span(datetime(2027, 3, 4, 9, tzinfo=PARIS),
                     datetime(2027, 3, 4, 17, 30, tzinfo=PARIS)) == (
        "le jeudi 4 mars 2027, de 9 h à 17 h 30")
    assert time_span(datetime(2027, 3, 1, 9, tzinfo=PARIS),
                     datetime(2027, 3, 2, 17, tzinfo=PARIS)) == (
        "du lundi 1er mars 2027 à 9 h au mardi 2 mars 2027 à 17 h")
    assert [hours(Decimal(v)) for v in ("7", "3.5", "0.75", "10.25")] == [
        "7 h", "3 h 30", "0 h 45", "10 h 15"]


def test_the_codes_a_diagnosis_recommends_are_in_the_catalogue():
    for code in ("comprendre-marches-publics", "memoire-technique", "groupement", "dume",
                 "chiffrage"):
        assert code in CATALOGUE_CODES


def test_recommended_codes_are_normalised():
    assert normalise_codes([" DUME", "dume", "chiffrage", "", "pas un code !", 3]) == [
        "dume", "chiffrage"]


def test_certificate_text_keeps_every_french_letter_and_degrades_the_rest():
    from formation.certificates import printable

    assert printable("Amélie Œuvray « Cœur » – l’été à 12 €") == (
        "Amélie Œuvray « Cœur » – l’été à 12 €")
    assert printable("Łukasz Đorđević") == "Lukasz Dordevic"
    assert printable("Иван") == "????"
