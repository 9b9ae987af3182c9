"""Euros as Decimal (their French wording is centrale.french's, tested in shared/tests)."""

from decimal import Decimal

import pytest

from accompagnement.domain.money import InvalidAmount, euros


def test_euros_reads_french_and_plain_input():
    assert euros("12 500,50") == Decimal("12500.50")
    assert euros("12\u202f500,5 €") == Decimal("12500.50")
    assert euros("0.005") == Decimal("0.01")
    assert euros(12500) == Decimal("12500.00")
    assert euros(Decimal("99.999")) == Decimal("100.00")


@pytest.mark.parametrize("value", [12.5, "-3", "douze", "NaN", True])
def test_euros_refuses_bad_amounts(value):
    with pytest.raises(InvalidAmount):
        euros(value)
