"""The catalogue of modules, and the certificate's letters."""

from centrale.french import label
from formation.domain.catalogue import CATALOGUE, CATALOGUE_CODES, normalise_codes



def test_the_codes_a_diagnosis_recommends_are_in_the_catalogue():
    for code in ("comprendre-marches-publics", "memoire-technique", "groupement", "dume",
                 "chiffrage"):
        assert code in CATALOGUE_CODES


def test_every_module_is_titled_as_the_label_table_says():
    assert all(module.title == label("training_module", module.code) for module in CATALOGUE)


def test_recommended_codes_are_normalised():
    assert normalise_codes([" DUME", "dume", "chiffrage", "", "pas un code !", 3]) == [
        "dume", "chiffrage"]


def test_certificate_text_keeps_every_french_letter_and_degrades_the_rest():
    from centrale.pdf_text import printable

    assert printable("Amélie Œuvray « Cœur » – l’été à 12 €") == (
        "Amélie Œuvray « Cœur » – l’été à 12 €")
    assert printable("Łukasz Đorđević") == "Lukasz Dordevic"
    assert printable("Иван") == "????"
