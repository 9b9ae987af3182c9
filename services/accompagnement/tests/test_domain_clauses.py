"""Who could subcontract for the winner of a contract with a social clause (pure rule)."""

from accompagnement.domain.clauses import Candidate, subcontractors
from accompagnement.domain.structures import Category, InsertionKind

WINNER = "73282932000074"


def candidate(structure_id, kind=InsertionKind.ACI, activities=("7731",), departement="42",
              category=Category.INSERTION, siret="80000000100011"):
    return Candidate(structure_id, siret, category, kind, departement, tuple(activities))


CANDIDATES = (
    candidate(1),  # an ACI of the Loire doing green spaces
    candidate(2, InsertionKind.ETTI, departement="43"),  # a neighbouring département
    candidate(3, departement="75"),  # too far
    candidate(4, InsertionKind.GEIQ),  # an employer, not an SIAE
    candidate(5, activities=("45",)),  # building work
    candidate(6, kind=None, category=Category.ESAT),
    candidate(7, siret="73282932000082"),  # another establishment of the winner
)


def test_siae_doing_the_work_near_it_other_than_the_winner():
    assert subcontractors(CANDIDATES, ("77310000",), ("42",), WINNER) == [1, 2]


def test_no_place_means_anywhere_and_no_code_means_nobody():
    assert subcontractors(CANDIDATES, ("77310000",), (), WINNER) == [1, 2, 3]
    assert subcontractors(CANDIDATES, (), ("42",), WINNER) == []
    assert subcontractors(CANDIDATES, ("77310000",), ("42",), None) == [1, 2, 7]
