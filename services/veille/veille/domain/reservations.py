"""Reserved markets: who a reservation is for, and which structures may answer it.

The French code reserves some contracts or lots to:

- ``sheltered_workshop`` — EA and ESAT (art. L2113-12);
- ``insertion`` — the SIAE (art. L2113-13: ACI, AI, EI, ETTI, EITI; not the GEIQ, which are
  insertion employers but not SIAE);
- ``ess`` — the companies of the social and solidarity economy (art. L2113-15): associations,
  cooperatives (SCOP, SCIC), mutuals, foundations and ESUS-approved companies;
- ``public_service_mission`` — organisations with a public service mission (EU art. 77),
  which in France are read as the same ESS companies.

A structure's category (from accompagnement's ``structure.*`` events) says which it may answer;
a structure veille knows nothing of yet may answer it or not: ``None``.
"""

from __future__ import annotations

from centrale.french import label

def reserved_for(reservation: str) -> str:
    """« réservé aux ESAT et entreprises adaptées », for a « pourquoi »."""
    return label("tender_reservation_phrase", reservation)


SIAE_KINDS = frozenset({"aci", "ai", "ei", "etti", "eiti"})
ESS_CATEGORIES = frozenset({"association", "scop", "scic", "esus"})
ESS_LEGAL_FORMS = frozenset({"association", "fondation", "mutuelle", "societe_cooperative"})


def reservations_open_to(category: str | None, insertion_kind: str | None = None,
                         legal_form: str | None = None) -> frozenset[str] | None:
    """The reservations a structure of this category may answer; None when unknown."""
    if not category:
        return None
    allowed: set[str] = set()
    if category in ("ea", "esat"):
        allowed.add("sheltered_workshop")
    if category == "insertion" and (insertion_kind in SIAE_KINDS or insertion_kind is None):
        allowed.add("insertion")
    if category in ESS_CATEGORIES or legal_form in ESS_LEGAL_FORMS:
        allowed.update(("ess", "public_service_mission"))
    return frozenset(allowed)
