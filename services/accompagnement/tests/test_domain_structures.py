"""SIRET, CPV, départements, reserved-market eligibility and structure validation."""

from decimal import Decimal

import pytest

from centrale.cpv import InvalidCpv, covers, cpv_prefix, full_cpv
from accompagnement.domain.reservations import Reservation, is_eligible, reservation_from_eforms
from accompagnement.domain.structures import (
    Address,
    Capacities,
    Category,
    Contact,
    InsertionKind,
    InvalidSiret,
    LegalForm,
    Reference,
    Structure,
    structure_errors,
    validate_siret,
)
from centrale.territory import (
    InvalidDepartment,
    are_neighbours,
    department_from_postcode,
    department_code,
)

# 73282932000074 is python-stdnum's own example; the others were computed to
# satisfy the Luhn key (SIREN 552081317 and 775672272 with the first valid NIC).
VALID_SIRETS = ["73282932000074", "55208131700018", "55208131700026", "77567227200017"]


@pytest.mark.parametrize("siret", VALID_SIRETS)
def test_luhn_valid_sirets_are_accepted(siret):
    assert validate_siret(siret) == siret


def test_spaces_and_dots_are_tolerated():
    assert validate_siret(" 732 829 320 00074 ") == "73282932000074"
    assert validate_siret("732.829.320.00074") == "73282932000074"


def test_la_poste_establishments_follow_the_digit_sum_rule():
    # La Poste (SIREN 356000000): the digits must sum to a multiple of 5, not the Luhn key.
    assert validate_siret("35600000049837") == "35600000049837"  # sum 45, not Luhn-valid
    assert validate_siret("35600000000048") == "35600000000048"  # the head office uses Luhn
    with pytest.raises(InvalidSiret):
        validate_siret("35600000049839")  # Luhn-valid, but sum 42


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Le SIRET est obligatoire."),
        ("7328293200007A", "Le SIRET ne doit contenir que des chiffres (espaces et points tolérés)."),
        ("7328293200007", "Le SIRET doit comporter 14 chiffres (13 saisis)."),
        ("732829320000745", "Le SIRET doit comporter 14 chiffres (15 saisis)."),
        (
            "73282932000079",
            "Le SIRET 732 829 320 00079 est invalide : sa clé de contrôle ne correspond pas "
            "(chiffre mal saisi ou inversé ?).",
        ),
        (
            "73282932100074",
            "Le SIREN 732829321 (9 premiers chiffres du SIRET) est invalide : sa clé de contrôle "
            "ne correspond pas. Vérifiez la saisie.",
        ),
    ],
)
def test_invalid_sirets_get_a_french_reason(value, message):
    with pytest.raises(InvalidSiret) as error:
        validate_siret(value)
    assert str(error.value) == message


def test_category_labels_are_french():
    assert Category.ESAT.label == "Établissement et service d'aide par le travail (ESAT)"
    assert InsertionKind.ETTI.label == "Entreprise de travail temporaire d'insertion (ETTI)"
    assert [c.value for c in Category] == ["association", "insertion", "ea", "esat", "scop", "scic", "esus"]


def aci(**changes):
    values = dict(
        legal_name="Régie de quartier Le Soleil",
        siret="55208131700018",
        legal_form=LegalForm.ASSOCIATION,
        category=Category.INSERTION,
        insertion_kind=InsertionKind.ACI,
        departement="42",
        address=Address("12 rue de la Paix", "42000", "Saint-Étienne"),
        activities=("9091", "77310000-6"),
        capacities=Capacities(headcount=12, annual_turnover=Decimal("300000")),
        references=(Reference("Nettoyage des écoles", "Ville de Firminy", 2025, Decimal("48000"), ("90911200",)),),
        contacts=(Contact("Awa Diallo", "Directrice", "awa.diallo@example.org"),),
    )
    values.update(changes)
    return Structure(**values)


def test_a_complete_structure_is_valid():
    assert structure_errors(aci()) == {}


def test_structure_errors_are_french_and_keyed_by_field():
    structure = aci(
        legal_name=" ",
        siret="73282932000079",
        insertion_kind=None,
        departement="99",
        address=Address("1 place Jean Jaurès", "4200", "Saint-Étienne"),
        activities=("9091", "nettoyage"),
        capacities=Capacities(headcount=-1),
        contacts=(Contact("Awa Diallo", email="awa.diallo-at-example.org"),),
    )
    errors = structure_errors(structure)
    assert errors == {
        "legal_name": ["La raison sociale est obligatoire."],
        "siret": [
            "Le SIRET 732 829 320 00079 est invalide : sa clé de contrôle ne correspond pas "
            "(chiffre mal saisi ou inversé ?)."
        ],
        "insertion_kind": ["Précisez le type de structure d'insertion (ACI, AI, EI, ETTI, EITI ou GEIQ)."],
        "departement": ["Département inconnu : « 99 » (attendu par exemple 42, 2A ou 974)."],
        "address.postal_code": ["Le code postal doit comporter 5 chiffres."],
        "activities.1": [
            "Code CPV invalide : « nettoyage » (attendu 8 chiffres, par exemple 90911200, "
            "ou un préfixe d'au moins 2 chiffres)."
        ],
        "capacities.headcount": ["L'effectif ne peut pas être négatif."],
        "contacts.0.email": ["Adresse e-mail invalide : « awa.diallo-at-example.org »."],
    }


def test_category_and_legal_form_must_agree():
    assert structure_errors(aci(category=Category.SCOP, insertion_kind=None, legal_form=LegalForm.SARL)) == {
        "legal_form": ["Une SCOP a la forme juridique d'une société coopérative."]
    }
    assert structure_errors(aci(insertion_kind=InsertionKind.AI, legal_form=LegalForm.SAS)) == {
        "legal_form": ["Une association intermédiaire (AI) a la forme juridique d'une association."]
    }
    assert structure_errors(aci(category=Category.EA, legal_form=LegalForm.SAS)) == {
        "insertion_kind": ["Le type d'insertion ne s'applique qu'aux structures d'insertion."]
    }


# --- CPV ---------------------------------------------------------------------


def test_cpv_prefix_keeps_the_significant_digits():
    assert cpv_prefix("90911200-8") == "909112"
    assert cpv_prefix("90910000") == "9091"
    assert cpv_prefix("90000000") == "90"
    assert cpv_prefix("03000000") == "03"
    assert cpv_prefix("9091") == "9091"
    assert full_cpv("9091") == "90910000"


def test_cpv_prefix_hierarchy():
    assert covers("9091", "90911200")
    assert covers("90910000-9", "90911200-8")
    assert covers("77310000", "77311000")
    assert not covers("90911200", "9091")  # a narrower activity does not cover the wider lot
    assert not covers("9091", "90920000")


@pytest.mark.parametrize("code", ["", "9", "ABC", "909112000", "90911200-85"])
def test_invalid_cpv_codes_are_refused(code):
    with pytest.raises(InvalidCpv):
        cpv_prefix(code)


# --- départements ---------------------------------------------------------------


def test_departements_are_normalised():
    assert department_code("7") == "07"
    assert department_code(42) == "42"
    assert department_code("2a") == "2A"
    assert department_code("974") == "974"
    for wrong in ("20", "96", "975", "00", "4 2"):
        with pytest.raises(InvalidDepartment):
            department_code(wrong)


def test_departement_from_postal_code():
    assert department_from_postcode("42000") == "42"
    assert department_from_postcode("43000") == "43"
    assert department_from_postcode("20090") == "2A"
    assert department_from_postcode("20200") == "2B"
    assert department_from_postcode("97400") == "974"
    assert department_from_postcode("98000") is None  # Monaco
    assert department_from_postcode("4200") is None


def test_neighbouring_departements_of_loire_sud():
    assert are_neighbours("42", "43") and are_neighbours("43", "42")
    assert are_neighbours("71", "42")  # known from the Loire's side only
    assert are_neighbours("43", "48")
    assert not are_neighbours("42", "15")
    assert not are_neighbours("42", "42")
    assert not are_neighbours("42", "75")


# --- reserved markets -------------------------------------------------------------


def test_reservation_from_eforms_codes():
    assert reservation_from_eforms("res-ws") is Reservation.HANDICAP_INSERTION
    assert reservation_from_eforms("res-pub-ser") is Reservation.ESS
    assert reservation_from_eforms("none") is Reservation.NONE
    assert reservation_from_eforms(None) is Reservation.NONE


def structure_of(category, kind=None, form=LegalForm.ASSOCIATION):
    return aci(category=category, insertion_kind=kind, legal_form=form)


@pytest.mark.parametrize(
    ("structure", "expected"),
    [
        # none, handicap, insertion, handicap_insertion, ess
        (structure_of(Category.EA, form=LegalForm.SAS), (True, True, False, True, False)),
        (structure_of(Category.ESAT, form=LegalForm.ETABLISSEMENT_PUBLIC), (True, True, False, True, False)),
        (structure_of(Category.ESAT), (True, True, False, True, True)),
        (structure_of(Category.INSERTION, InsertionKind.ACI), (True, False, True, True, True)),
        (structure_of(Category.INSERTION, InsertionKind.EI, LegalForm.SAS), (True, False, True, True, False)),
        (structure_of(Category.INSERTION, InsertionKind.EITI, LegalForm.SAS), (True, False, True, True, False)),
        (structure_of(Category.INSERTION, InsertionKind.GEIQ), (True, False, False, False, True)),
        (structure_of(Category.SCOP, form=LegalForm.COOPERATIVE), (True, False, False, False, True)),
        (structure_of(Category.ESUS, form=LegalForm.SAS), (True, False, False, False, True)),
        (structure_of(Category.ASSOCIATION), (True, False, False, False, True)),
    ],
)
def test_reserved_market_eligibility(structure, expected):
    reservations = (Reservation.NONE, Reservation.HANDICAP, Reservation.INSERTION,
                    Reservation.HANDICAP_INSERTION, Reservation.ESS)
    assert tuple(is_eligible(structure, reservation) for reservation in reservations) == expected
