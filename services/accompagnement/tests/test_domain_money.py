"""Euros as Decimal and the French formatting of messages."""

from datetime import date, datetime, timezone
from decimal import Decimal

import pytest

from accompagnement.domain.french import format_date, format_datetime, format_decimal, format_euros, join_with_et
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


def test_french_formatting():
    assert format_euros(Decimal("1234567.8")) == "1 234 567,80 €"
    assert format_euros(Decimal("0")) == "0,00 €"
    assert format_decimal(Decimal("72.50")) == "72,5"
    assert format_decimal(Decimal("65")) == "65"
    assert format_date(date(2027, 1, 5)) == "05/01/2027"
    # 11:00 UTC in January is noon in Paris.
    assert format_datetime(datetime(2027, 1, 20, 11, 0, tzinfo=timezone.utc)) == "20/01/2027 à 12:00"
    assert join_with_et(["lot 1", "lot 2", "lot 3"]) == "lot 1, lot 2 et lot 3"
