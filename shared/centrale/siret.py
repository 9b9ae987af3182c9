"""The SIRET (a French establishment's number), checked with python-stdnum, once for every
service: a structure of the registry, a buyer's organisation, a need's buyer.

Spaces and dots are tolerated. La Poste establishments (SIREN 356000000) follow their own check
rule, which python-stdnum knows. Pure: domains may use it.
"""

from __future__ import annotations

from stdnum.exceptions import ValidationError
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret


class InvalidSiret(ValueError):
    """A SIRET that fails validation; str(error) is the French message."""


def validate_siret(value: str) -> str:
    """Return the SIRET as 14 digits, or raise InvalidSiret with a French reason."""
    number = stdnum_siret.compact(value or "")
    if not number:
        raise InvalidSiret("Le SIRET est obligatoire.")
    if not number.isdigit():
        raise InvalidSiret("Le SIRET ne doit contenir que des chiffres (espaces et points tolérés).")
    if len(number) != 14:
        raise InvalidSiret(f"Le SIRET doit comporter 14 chiffres ({len(number)} saisis).")
    if not stdnum_siren.is_valid(number[:9]):
        raise InvalidSiret(
            f"Le SIREN {number[:9]} (9 premiers chiffres du SIRET) est invalide : "
            "sa clé de contrôle ne correspond pas. Vérifiez la saisie."
        )
    try:
        return stdnum_siret.validate(number)
    except ValidationError:
        raise InvalidSiret(
            f"Le SIRET {stdnum_siret.format(number)} est invalide : sa clé de contrôle ne "
            "correspond pas (chiffre mal saisi ou inversé ?)."
        ) from None


def siren_of(siret: str) -> str:
    """The SIREN (legal entity) of a SIRET (establishment)."""
    return stdnum_siret.compact(siret)[:9]
