"""Groupements solidaires: members, roles and shares of the contract amount.

A groupement is either joint (conjoint: each member answers for its own part)
or joint and several (solidaire: each answers for the whole); the law knows no
mix of the two among co-contractors, so it is refused. The mandataire
represents the others. Subcontractors are listed with their share because the
buyer pays them directly and funders count what each structure earned.
Shares are percentages of the amount and must sum to exactly 100.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum

from centrale.french import decimal_comma, label

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


class ConsortiumRole(StrEnum):
    MANDATAIRE = "mandataire"
    COTRAITANT_CONJOINT = "cotraitant_conjoint"
    COTRAITANT_SOLIDAIRE = "cotraitant_solidaire"
    SOUS_TRAITANT = "sous_traitant"

    @property
    def label(self) -> str:
        return label("consortium_role", self)



@dataclass(frozen=True)
class Member:
    structure_id: str
    role: ConsortiumRole
    share_percent: Decimal


class InvalidConsortium(ValueError):
    """The French reasons are in `errors` (and joined in str(error))."""

    def __init__(self, errors: list[str]):
        super().__init__(" ".join(errors))
        self.errors = errors


def consortium_errors(members: list[Member]) -> list[str]:
    """Every rule the composition breaks, in French; empty when valid."""
    errors = []
    roles = [member.role for member in members]
    if len(members) < 2:
        errors.append("Un groupement compte au moins deux membres.")
    mandataires = roles.count(ConsortiumRole.MANDATAIRE)
    if mandataires != 1:
        errors.append(f"Un groupement a exactement un mandataire ({mandataires} désigné(s)).")
    ids = [member.structure_id for member in members]
    duplicates = sorted({structure_id for structure_id in ids if ids.count(structure_id) > 1})
    if duplicates:
        errors.append(f"Une structure ne peut figurer qu'une fois : {', '.join(duplicates)}.")
    if ConsortiumRole.COTRAITANT_CONJOINT in roles and ConsortiumRole.COTRAITANT_SOLIDAIRE in roles:
        errors.append(
            "Un groupement est soit conjoint, soit solidaire : les cotraitants ne peuvent pas "
            "être à la fois conjoints et solidaires."
        )
    for member in members:
        if not 0 < member.share_percent <= HUNDRED:
            errors.append(
                f"La part de {member.structure_id} doit être comprise entre 0 (exclu) et 100 % "
                f"(reçu {decimal_comma(member.share_percent, 2)} %)."
            )
    total = sum((member.share_percent for member in members), Decimal(0))
    if members and total != HUNDRED:
        errors.append(f"La somme des parts fait {decimal_comma(total, 2)} % au lieu de 100 %.")
    return errors


def check_consortium(members: list[Member]) -> None:
    """Raise InvalidConsortium when the composition breaks a rule."""
    errors = consortium_errors(members)
    if errors:
        raise InvalidConsortium(errors)


def consortium_kind(members: list[Member]) -> str | None:
    """"solidaire", "conjoint", or None when the mandataire has subcontractors only."""
    roles = {member.role for member in members}
    if ConsortiumRole.COTRAITANT_SOLIDAIRE in roles:
        return "solidaire"
    if ConsortiumRole.COTRAITANT_CONJOINT in roles:
        return "conjoint"
    return None


def split_amount(members: list[Member], total: Decimal) -> dict[str, Decimal]:
    """Each member's part of `total` in euros, to the cent, summing exactly to `total`.

    Parts are rounded down and the leftover cents go to the mandataire, who
    invoices on the groupement's behalf.
    """
    check_consortium(members)
    parts = {
        member.structure_id: (total * member.share_percent / HUNDRED).quantize(CENT, rounding=ROUND_DOWN)
        for member in members
    }
    mandataire = next(m.structure_id for m in members if m.role is ConsortiumRole.MANDATAIRE)
    parts[mandataire] += total.quantize(CENT) - sum(parts.values(), Decimal(0))
    return parts
