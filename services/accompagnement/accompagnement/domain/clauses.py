"""Which insertion structures could work as subcontractors of a contract's winner.

A buyer's social clause is met by the winner's hiring people in insertion, often through an
SIAE it subcontracts to or makes available staff through (AI, ETTI). When the facilitator
follows an awarded contract with a clause, the structures told are:

- SIAE (ACI, AI, EI, ETTI, EITI; not GEIQ, which are employers of their own, as for reserved
  lots: L2113-13), since only their hours count as insertion;
- whose activities (CPV codes or prefixes of the registry) cover one of the contract's CPV
  codes — the work they would be given;
- located in a département of the contract or a neighbouring one (the work is done on site),
  any département when the contract states none;
- except the winner itself (any establishment of its SIREN).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from centrale.cpv import covers_any
from centrale.territory import are_neighbours

from .structures import SIAE_KINDS, Category, InsertionKind


@dataclass(frozen=True)
class Candidate:
    structure_id: int
    siret: str
    category: Category
    insertion_kind: InsertionKind | None
    departement: str
    activities: tuple[str, ...]


def near(departement: str, departments: tuple[str, ...]) -> bool:
    return not departments or any(departement == code or are_neighbours(departement, code)
                                  for code in departments)


def subcontractors(candidates: Iterable[Candidate], cpv_codes: tuple[str, ...],
                   departments: tuple[str, ...], winner_siret: str | None) -> list[int]:
    """The ids of the structures to tell, in order; none when the contract has no CPV code."""
    if not cpv_codes:
        return []
    winner_siren = (winner_siret or "")[:9]
    return sorted(
        candidate.structure_id for candidate in candidates
        if candidate.category is Category.INSERTION and candidate.insertion_kind in SIAE_KINDS
        and covers_any(candidate.activities, cpv_codes)
        and near(candidate.departement, departments)
        and not (winner_siren and candidate.siret.strip()[:9] == winner_siren))
