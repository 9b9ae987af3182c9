"""Groupement composition rules and the split of the amount."""

from decimal import Decimal

import pytest

from accompagnement.domain.consortium import (
    ConsortiumRole as R,
    InvalidConsortium,
    Member,
    check_consortium,
    consortium_errors,
    consortium_kind,
    split_amount,
)


def member(structure_id, role, share):
    return Member(structure_id, role, Decimal(share))


VALID = [
    member("regie-soleil", R.MANDATAIRE, "50"),
    member("jardins-forez", R.COTRAITANT_CONJOINT, "30"),
    member("esat-velay", R.SOUS_TRAITANT, "20"),
]


def test_a_valid_joint_groupement():
    check_consortium(VALID)
    assert consortium_kind(VALID) == "conjoint"
    assert R.COTRAITANT_SOLIDAIRE.label == "Cotraitant solidaire"


def test_kinds():
    solidaire = [member("a", R.MANDATAIRE, "60"), member("b", R.COTRAITANT_SOLIDAIRE, "40")]
    assert consortium_kind(solidaire) == "solidaire"
    subcontracting_only = [member("a", R.MANDATAIRE, "75"), member("b", R.SOUS_TRAITANT, "25")]
    check_consortium(subcontracting_only)
    assert consortium_kind(subcontracting_only) is None


def test_shares_must_sum_to_100():
    members = [member("a", R.MANDATAIRE, "50"), member("b", R.COTRAITANT_CONJOINT, "45")]
    assert consortium_errors(members) == ["La somme des parts fait 95 % au lieu de 100 %."]
    members = [member("a", R.MANDATAIRE, "33.33"), member("b", R.COTRAITANT_CONJOINT, "33.33"),
               member("c", R.COTRAITANT_CONJOINT, "33.33")]
    assert consortium_errors(members) == ["La somme des parts fait 99,99 % au lieu de 100 %."]


def test_every_broken_rule_is_reported():
    members = [
        member("a", R.MANDATAIRE, "60"),
        member("a", R.MANDATAIRE, "0"),
        member("b", R.COTRAITANT_CONJOINT, "30"),
        member("c", R.COTRAITANT_SOLIDAIRE, "10"),
    ]
    with pytest.raises(InvalidConsortium) as error:
        check_consortium(members)
    assert error.value.errors == [
        "Un groupement a exactement un mandataire (2 désigné(s)).",
        "Une structure ne peut figurer qu'une fois : a.",
        "Un groupement est soit conjoint, soit solidaire : les cotraitants ne peuvent pas être à la fois "
        "conjoints et solidaires.",
        "La part de a doit être comprise entre 0 (exclu) et 100 % (reçu 0 %).",
    ]


def test_a_single_member_or_no_mandataire():
    assert consortium_errors([member("a", R.MANDATAIRE, "100")]) == ["Un groupement compte au moins deux membres."]
    assert consortium_errors([member("a", R.COTRAITANT_CONJOINT, "50"), member("b", R.COTRAITANT_CONJOINT, "50")]) == [
        "Un groupement a exactement un mandataire (0 désigné(s))."
    ]


def test_split_amount_to_the_cent():
    assert split_amount(VALID, Decimal("120000.50")) == {
        "regie-soleil": Decimal("60000.25"),
        "jardins-forez": Decimal("36000.15"),
        "esat-velay": Decimal("24000.10"),
    }
    thirds = [member("a", R.MANDATAIRE, "33.33"), member("b", R.COTRAITANT_SOLIDAIRE, "33.33"),
              member("c", R.COTRAITANT_SOLIDAIRE, "33.34")]
    parts = split_amount(thirds, Decimal("999.99"))
    # 333.29 + 333.29 + 333.39 = 999.97: the two leftover cents go to the mandataire.
    assert parts == {"a": Decimal("333.31"), "b": Decimal("333.29"), "c": Decimal("333.39")}
    assert sum(parts.values()) == Decimal("999.99")
