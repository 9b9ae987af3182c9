"""The registry of social-economy structures: categories, SIRET, validation."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from centrale.french import label

from centrale.cpv import InvalidCpv, cpv_prefix
from centrale.siret import InvalidSiret, siren_of, validate_siret  # noqa: F401 — the registry's
from centrale.territory import InvalidDepartment, department_code


class Category(StrEnum):
    """Social-economy category of a structure (one per structure)."""

    ASSOCIATION = "association"
    INSERTION = "insertion"
    EA = "ea"
    ESAT = "esat"
    SCOP = "scop"
    SCIC = "scic"
    ESUS = "esus"

    @property
    def label(self) -> str:
        return label("structure_category", self)



class InsertionKind(StrEnum):
    """Kind of insertion structure; required when the category is INSERTION."""

    ACI = "aci"
    AI = "ai"
    EI = "ei"
    ETTI = "etti"
    EITI = "eiti"
    GEIQ = "geiq"

    @property
    def label(self) -> str:
        return label("insertion_kind", self)


# The SIAE of the Code du travail (L5132-4, plus EITI): GEIQ are insertion
# employers but not SIAE, which matters for reserved markets (L2113-13).
SIAE_KINDS = frozenset(
    {InsertionKind.ACI, InsertionKind.AI, InsertionKind.EI, InsertionKind.ETTI, InsertionKind.EITI}
)


class LegalForm(StrEnum):
    """Legal form, coarse enough to check consistency with the category."""

    ASSOCIATION = "association"
    FONDATION = "fondation"
    MUTUELLE = "mutuelle"
    COOPERATIVE = "societe_cooperative"
    SARL = "sarl"
    EURL = "eurl"
    SAS = "sas"
    SASU = "sasu"
    SA = "sa"
    ENTREPRISE_INDIVIDUELLE = "entreprise_individuelle"
    ETABLISSEMENT_PUBLIC = "etablissement_public"
    AUTRE = "autre"

    @property
    def label(self) -> str:
        return label("legal_form", self)


# Statutory ESS forms (loi 2014-856, art. 1): associations, foundations,
# mutuals and cooperatives; a commercial company needs the ESUS approval.
ESS_LEGAL_FORMS = frozenset(
    {LegalForm.ASSOCIATION, LegalForm.FONDATION, LegalForm.MUTUELLE, LegalForm.COOPERATIVE}
)

# Legal forms that are not registered at the RCS, hence have no Kbis.
NON_RCS_LEGAL_FORMS = frozenset(
    {LegalForm.ASSOCIATION, LegalForm.FONDATION, LegalForm.ETABLISSEMENT_PUBLIC}
)


@dataclass(frozen=True)
class Address:
    street: str
    postal_code: str
    city: str


@dataclass(frozen=True)
class Capacities:
    """What a buyer weighs: headcount, yearly turnover and liability insurance."""

    headcount: int | None = None
    annual_turnover: Decimal | None = None
    insurance_coverage: Decimal | None = None
    insurer: str | None = None
    insurance_expires_on: date | None = None


@dataclass(frozen=True)
class Reference:
    """A past contract the structure can quote in its answers."""

    title: str
    buyer: str
    year: int
    amount: Decimal | None = None
    cpv_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Contact:
    name: str
    role: str = ""
    email: str | None = None
    phone: str | None = None


@dataclass(frozen=True)
class Structure:
    """A registered structure. Activities are CPV codes or CPV prefixes."""

    legal_name: str
    siret: str
    legal_form: LegalForm
    category: Category
    departement: str
    insertion_kind: InsertionKind | None = None
    address: Address | None = None
    activities: tuple[str, ...] = ()
    capacities: Capacities = field(default_factory=Capacities)
    references: tuple[Reference, ...] = ()
    contacts: tuple[Contact, ...] = ()
    id: str | None = None

    @property
    def siren(self) -> str:
        return siren_of(self.siret)

    @property
    def is_ess(self) -> bool:
        """Belongs to the social and solidarity economy by category or legal form."""
        return self.category in ESS_CATEGORIES or self.legal_form in ESS_LEGAL_FORMS


ESS_CATEGORIES = frozenset({Category.ASSOCIATION, Category.SCOP, Category.SCIC, Category.ESUS})

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_POSTAL_CODE = re.compile(r"^\d{5}$")


def structure_errors(structure: Structure) -> dict[str, list[str]]:
    """Field -> French messages (marshmallow's error shape); empty when valid."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not structure.legal_name.strip():
        add("legal_name", "La raison sociale est obligatoire.")
    try:
        validate_siret(structure.siret)
    except InvalidSiret as error:
        add("siret", str(error))
    _check_category(structure, add)
    try:
        department_code(structure.departement)
    except InvalidDepartment as error:
        add("departement", str(error))
    if structure.address and not _POSTAL_CODE.match(structure.address.postal_code.strip()):
        add("address.postal_code", "Le code postal doit comporter 5 chiffres.")
    for index, code in enumerate(structure.activities):
        try:
            cpv_prefix(code)
        except InvalidCpv as error:
            add(f"activities.{index}", str(error))
    _check_capacities(structure.capacities, add)
    for index, reference in enumerate(structure.references):
        if not reference.title.strip():
            add(f"references.{index}.title", "L'intitulé de la référence est obligatoire.")
        if reference.year < 1900:
            add(f"references.{index}.year", "L'année de la référence est invalide.")
        if reference.amount is not None and reference.amount < 0:
            add(f"references.{index}.amount", "Le montant ne peut pas être négatif.")
    for index, contact in enumerate(structure.contacts):
        if not contact.name.strip():
            add(f"contacts.{index}.name", "Le nom du contact est obligatoire.")
        if contact.email and not _EMAIL.match(contact.email):
            add(f"contacts.{index}.email", f"Adresse e-mail invalide : « {contact.email} ».")
    return errors


def _check_category(structure: Structure, add) -> None:
    category, kind, form = structure.category, structure.insertion_kind, structure.legal_form
    if category is Category.INSERTION and kind is None:
        add("insertion_kind", "Précisez le type de structure d'insertion (ACI, AI, EI, ETTI, EITI ou GEIQ).")
    if category is not Category.INSERTION and kind is not None:
        add("insertion_kind", "Le type d'insertion ne s'applique qu'aux structures d'insertion.")
    if category is Category.ASSOCIATION and form is not LegalForm.ASSOCIATION:
        add("legal_form", "Une structure de catégorie « Association » a la forme juridique d'une association.")
    if category in (Category.SCOP, Category.SCIC) and form is not LegalForm.COOPERATIVE:
        add("legal_form", f"Une {category.name} a la forme juridique d'une société coopérative.")
    # Associations intermédiaires are associations by law (Code du travail L5132-7).
    if kind is InsertionKind.AI and form is not LegalForm.ASSOCIATION:
        add("legal_form", "Une association intermédiaire (AI) a la forme juridique d'une association.")


def _check_capacities(capacities: Capacities, add) -> None:
    if capacities.headcount is not None and capacities.headcount < 0:
        add("capacities.headcount", "L'effectif ne peut pas être négatif.")
    if capacities.annual_turnover is not None and capacities.annual_turnover < 0:
        add("capacities.annual_turnover", "Le chiffre d'affaires ne peut pas être négatif.")
    if capacities.insurance_coverage is not None and capacities.insurance_coverage < 0:
        add("capacities.insurance_coverage", "Le montant de garantie ne peut pas être négatif.")
