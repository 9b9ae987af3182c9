"""CPV prefixes and territory codes: one reading for every service."""

import pytest

from centrale import territory
from centrale.cpv import InvalidCpv, covers, cpv_prefix, full_cpv, prefixes_of


def test_a_prefix_pads_with_zeros_as_a_code_does():
    # Veille read "9090" as group 909 and accompagnement as "9090", which covered nothing
    # under class 9091: both services now share this one reading.
    assert cpv_prefix("9090") == cpv_prefix("90900000") == cpv_prefix("909") == "909"
    assert covers("9090", "90911200") and covers("90900000", "90911200")
    assert cpv_prefix("90911200-8") == "909112"
    assert cpv_prefix("90000000") == "90" and cpv_prefix("03000000") == "03"
    assert full_cpv("9091") == "90910000"
    assert prefixes_of("90911200") == ["90", "909", "9091", "90911", "909112", "9091120",
                                       "90911200"]


@pytest.mark.parametrize("bad", ["abc", "9", "909112001", "90911200-88", ""])
def test_what_is_not_a_cpv_is_refused_in_french(bad):
    with pytest.raises(InvalidCpv, match="Code CPV invalide"):
        cpv_prefix(bad)


def test_departments_lenient_for_sources_strict_for_people():
    assert territory.normalise_department("2") == "02"
    assert territory.normalise_department("20") is None
    assert territory.department_code(42) == "42"
    with pytest.raises(territory.InvalidDepartment, match="Département inconnu"):
        territory.department_code("20")
    assert territory.department_label("42") == "42 Loire"
    assert territory.department_name("43") == "Haute-Loire"
    assert territory.are_neighbours("43", "42") and not territory.are_neighbours("42", "13")
    assert territory.department_from_postcode("20190") == "2A"
    assert territory.department_from_nuts("FRK25") == ["42"]
