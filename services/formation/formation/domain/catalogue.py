"""The modules the Centrale teaches, and the module codes a diagnosis may recommend.

Accompagnement's diagnosis recommends modules by code (``diagnosis.completed`` carries
``recommended_modules``); the codes below are the contract between the two services. A code
formation does not teach (yet) is kept — the module may be added to the catalogue later — but
only modules of the catalogue are proposed with their sessions.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from centrale.french import label

CODE_PATTERN = re.compile(r"^[a-z0-9-]{2,60}$")


@dataclass(frozen=True)
class Module:
    code: str
    title: str
    objectives: str
    duration_h: Decimal


def _module(code: str, objectives: str, duration_h: Decimal) -> Module:
    return Module(code, label("training_module", code), objectives, duration_h)


CATALOGUE: tuple[Module, ...] = (
    _module("comprendre-marches-publics",
            "Lire un avis de marché et un règlement de consultation ; connaître les procédures, "
            "les seuils, les marchés réservés (articles L2113-12 et L2113-13) et les clauses "
            "sociales ; savoir où trouver les consultations du territoire.", Decimal("7")),
    _module("memoire-technique",
            "Structurer une réponse qui suit les critères de jugement, décrire ses moyens "
            "humains et techniques, valoriser l'utilité sociale et l'insertion.", Decimal("7")),
    _module("groupement",
            "Cotraitance conjointe ou solidaire, sous-traitance, rôle du mandataire, "
            "répartition des prestations et des prix, convention de groupement.",
            Decimal("3.5")),
    _module("dume",
            "DUME, DC1, DC2, attestations fiscales et sociales, Kbis : constituer un dossier "
            "complet, le tenir à jour et le déposer sur un profil d'acheteur.", Decimal("3.5")),
    _module("chiffrage",
            "Bordereau de prix unitaires, DPGF, décomposition des coûts complets : proposer "
            "un prix juste, soutenable et défendable devant l'acheteur.", Decimal("7")),
    _module("plateformes-depot",
            "Compte sur un profil d'acheteur, signature électronique, dépôt, accusé de "
            "réception, questions-réponses pendant la consultation.", Decimal("3.5")),
)

CATALOGUE_CODES = tuple(module.code for module in CATALOGUE)


def normalise_codes(codes: Iterable[str]) -> list[str]:
    """Module codes as a diagnosis sends them, trimmed and lower-cased, first occurrence kept;
    anything that cannot be a module code is dropped."""
    seen: list[str] = []
    for raw in codes:
        if not isinstance(raw, str):
            continue
        code = raw.strip().lower()
        if CODE_PATTERN.match(code) and code not in seen:
            seen.append(code)
    return seen
