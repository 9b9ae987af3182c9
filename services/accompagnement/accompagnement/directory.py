"""The public directory's use cases: a structure's card (its proposal from the registry, its
edits), its consent to be listed, and the card as the public reads it."""

from __future__ import annotations

from typing import Any

import psycopg

from centrale.cpv import full_cpv
from centrale.french import label
from centrale.refusals import Invalid, NotFound
from centrale.territory import department_name

from .api.access import field_errors
from .domain.directory import (CONSENT_WORDING, CardInput, activities_with_labels,
                               card_errors, category_text, normalized, staff_band,
                               turnover_band)
from .store import directory as store


def _proposal(row: dict[str, Any]) -> CardInput:
    """The card a structure starts from: its registry's activities, département and city."""
    return CardInput(activities=tuple(full_cpv(code) for code in row["registry_activities"]),
                     departements=(row["departement"],),
                     communes=(row["city"],) if row["city"] else ())


def _search_words(row: dict[str, Any], card: CardInput) -> str:
    words = [item["label"] for item in activities_with_labels(card.activities) if item["label"]]
    words.append(category_text(row["category"], row["insertion_kind"]))
    return " ".join(words)


def card_document(row: dict[str, Any], private: bool) -> dict[str, Any]:
    """The card as the API gives it; ``private`` adds its consent state and history (the
    structure's own space and staff), never shown to the public."""
    exists = row["listed"] is not None
    card = (CardInput(row["presentation"], tuple(row["activities"]), tuple(row["departements"]),
                      tuple(row["communes"]), tuple(row["labels"]), row["website"])
            if exists else _proposal(row))
    staff, turnover = staff_band(row["headcount"]), turnover_band(row["annual_turnover"])
    document = {
        "structure_id": row["structure_id"], "name": row["legal_name"],
        "siret": row["siret"].strip(), "category": row["category"],
        "insertion_kind": row["insertion_kind"],
        "category_text": category_text(row["category"], row["insertion_kind"]),
        "city": row["city"], "presentation": card.presentation,
        "activities": activities_with_labels(card.activities),
        "departements": [{"code": code, "name": department_name(code)}
                         for code in card.departements],
        "communes": list(card.communes), "labels": list(card.labels), "website": card.website,
        "staff_band": staff, "staff_band_label": label("staff_band", staff) if staff else None,
        "turnover_band": turnover,
        "turnover_band_label": label("turnover_band", turnover) if turnover else None,
        "updated_at": row["updated_at"] if exists else None,
    }
    if private:
        document.update({"listed": bool(row["listed"]), "listed_since": row["listed_since"],
                         "consent_wording": CONSENT_WORDING,
                         "consents": row.get("consents") or []})
    return document


def read_card(conn: psycopg.Connection, structure_id: int) -> dict[str, Any]:
    row = store.get_card(conn, structure_id)
    if row is None:
        raise NotFound(f"Structure {structure_id} introuvable.")
    return card_document(row, private=True)


def read_public_card(conn: psycopg.Connection, structure_id: int) -> dict[str, Any]:
    """A listed structure's card; any other answers as if it did not exist."""
    row = store.get_card(conn, structure_id)
    if row is None or not row["listed"]:
        raise NotFound("Cette structure ne figure pas dans l'annuaire.")
    return card_document(row, private=False)


def save_card(conn: psycopg.Connection, structure_id: int, payload: dict[str, Any],
              by: str) -> dict[str, Any]:
    row = store.get_card(conn, structure_id)
    if row is None:
        raise NotFound(f"Structure {structure_id} introuvable.")
    card = CardInput(**{name: tuple(payload[name]) if isinstance(payload[name], list)
                        else payload[name] for name in store.CARD_FIELDS})
    errors = card_errors(card)
    if errors:
        raise Invalid("La fiche n'est pas publiable en l'état.", {"json": field_errors(errors)})
    card = normalized(card)
    store.save_card(conn, structure_id, card, _search_words(row, card), by)
    return read_card(conn, structure_id)


def set_consent(conn: psycopg.Connection, structure_id: int, given: bool, by: str,
                role: str) -> dict[str, Any]:
    """Give (the card is listed at once, from the registry's proposal if it was never
    written) or withdraw (it leaves the directory at once) the structure's consent."""
    row = store.get_card(conn, structure_id)
    if row is None:
        raise NotFound(f"Structure {structure_id} introuvable.")
    if not store.has_card(conn, structure_id):
        proposal = _proposal(row)
        store.save_card(conn, structure_id, proposal, _search_words(row, proposal), by)
    store.record_consent(conn, structure_id, given, by, role)
    return read_card(conn, structure_id)


def search(conn: psycopg.Connection, query: dict[str, Any]) -> tuple[list[dict], int]:
    rows, total = store.search_cards(
        conn, q=query["q"], category=query["category"], insertion_kind=query["insertion_kind"],
        departement=query["departement"], cpv=query["cpv"], label=query["label"],
        limit=query["limit"], offset=query["offset"])
    return [card_document(row, private=False) for row in rows], total
