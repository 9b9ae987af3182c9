"""The public directory: each structure's card, its consent history, and the search over the
cards of the structures that consent (French full text, accents folded, with filters)."""

from __future__ import annotations

from typing import Any

import psycopg

from ..domain.directory import CONSENT_WORDING, CardInput
from .events import emit

CARD_FIELDS = ("presentation", "activities", "departements", "communes", "labels", "website")

# What the search reads: the name first, then the structure's own words, then the rest.
_DOCUMENT = (
    "setweight(to_tsvector('fr_unaccent', s.legal_name), 'A') ||"
    " setweight(to_tsvector('fr_unaccent', coalesce(c.presentation, '')), 'B') ||"
    " setweight(to_tsvector('fr_unaccent', coalesce(s.city, '') || ' '"
    " || array_to_string(c.communes, ' ') || ' ' || array_to_string(c.labels, ' ') || ' '"
    " || c.search_words), 'C')")

_COLUMNS = ("s.id AS structure_id, s.legal_name, s.siret, s.category, s.insertion_kind,"
            " s.city, s.departement, s.activities AS registry_activities, s.headcount,"
            " s.annual_turnover, c.listed, c.listed_since, c.presentation, c.activities,"
            " c.departements, c.communes, c.labels, c.website, c.updated_at")


def _card_row(conn: psycopg.Connection, structure_id: int) -> dict[str, Any] | None:
    return conn.execute(
        f"SELECT {_COLUMNS} FROM structures s LEFT JOIN directory_cards c"
        " ON c.structure_id = s.id WHERE s.id = %s", (structure_id,)).fetchone()


def get_card(conn: psycopg.Connection, structure_id: int) -> dict[str, Any] | None:
    """The card of a structure as it stands (listed or not); None: no such structure."""
    row = _card_row(conn, structure_id)
    if row is None:
        return None
    row["consents"] = conn.execute(
        "SELECT given, given_by, given_by_role, at FROM directory_consents"
        " WHERE structure_id = %s ORDER BY at DESC, id DESC LIMIT 20", (structure_id,)).fetchall()
    return row


def save_card(conn: psycopg.Connection, structure_id: int, card: CardInput, search_words: str,
              by: str) -> dict[str, Any]:
    """Write the card (its consent unchanged); ``search_words``: the French words of its
    activities and category, which the search reads beside its texts."""
    values = {name: getattr(card, name) for name in CARD_FIELDS}
    values = {**values, **{name: list(values[name]) for name in CARD_FIELDS[1:5]}}
    conn.execute(
        "INSERT INTO directory_cards (structure_id, presentation, activities, departements,"
        " communes, labels, website, search_words, updated_by) VALUES (%(id)s,"
        " %(presentation)s, %(activities)s, %(departements)s, %(communes)s, %(labels)s,"
        " %(website)s, %(words)s, %(by)s)"
        " ON CONFLICT (structure_id) DO UPDATE SET presentation = EXCLUDED.presentation,"
        " activities = EXCLUDED.activities, departements = EXCLUDED.departements,"
        " communes = EXCLUDED.communes, labels = EXCLUDED.labels, website = EXCLUDED.website,"
        " search_words = EXCLUDED.search_words, updated_by = EXCLUDED.updated_by,"
        " updated_at = now()",
        {**values, "id": structure_id, "by": by, "words": search_words})
    return get_card(conn, structure_id)


def has_card(conn: psycopg.Connection, structure_id: int) -> bool:
    return conn.execute("SELECT 1 FROM directory_cards WHERE structure_id = %s",
                        (structure_id,)).fetchone() is not None


def record_consent(conn: psycopg.Connection, structure_id: int, given: bool, by: str,
                   role: str) -> dict[str, Any]:
    """Give or withdraw the consent to be listed; kept with its wording, and announced."""
    conn.execute(
        "INSERT INTO directory_cards (structure_id, listed, listed_since, updated_by)"
        " VALUES (%(id)s, %(given)s, CASE WHEN %(given)s THEN now() END, %(by)s)"
        " ON CONFLICT (structure_id) DO UPDATE SET listed = EXCLUDED.listed,"
        " listed_since = CASE WHEN EXCLUDED.listed THEN coalesce(directory_cards.listed_since"
        " , now()) END, updated_at = now(), updated_by = EXCLUDED.updated_by",
        {"id": structure_id, "given": given, "by": by})
    conn.execute(
        "INSERT INTO directory_consents (structure_id, given, wording, given_by, given_by_role)"
        " VALUES (%s, %s, %s, %s, %s)", (structure_id, given, CONSENT_WORDING, by, role))
    emit(conn, "structure.listing_changed", f"structure:{structure_id}",
         {"structure_id": structure_id, "listed": given, "by": by})
    return get_card(conn, structure_id)


def search_cards(conn: psycopg.Connection, *, q: str | None, category: str | None,
                 insertion_kind: str | None, departement: str | None, cpv: str | None,
                 label: str | None, limit: int,
                 offset: int) -> tuple[list[dict[str, Any]], int]:
    """The listed cards matching, best first when words are given (else by name), and how
    many match."""
    where = ["c.listed"]
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if q:
        where.append(f"({_DOCUMENT}) @@ websearch_to_tsquery('fr_unaccent', %(q)s)")
        params["q"] = q
    if category:
        where.append("s.category = %(category)s")
        params["category"] = category
    if insertion_kind:
        where.append("s.insertion_kind = %(kind)s")
        params["kind"] = insertion_kind
    if departement:
        where.append("%(dep)s = ANY(c.departements)")
        params["dep"] = departement
    if cpv:
        # a card's code under the asked prefix, or the asked code under one of its prefixes
        where.append("EXISTS (SELECT 1 FROM unnest(c.activities) AS a(code),"
                     " left(a.code, greatest(2, length(rtrim(a.code, '0')))) AS p(prefix)"
                     " WHERE p.prefix LIKE %(cpv)s || '%%' OR %(cpv)s LIKE p.prefix || '%%')")
        params["cpv"] = cpv
    if label:
        where.append("EXISTS (SELECT 1 FROM unnest(c.labels) AS l(text)"
                     " WHERE lower(unaccent(l.text)) = lower(unaccent(%(label)s)))")
        params["label"] = label
    clause = " AND ".join(where)
    order = (f"ts_rank({_DOCUMENT}, websearch_to_tsquery('fr_unaccent', %(q)s)) DESC,"
             " s.legal_name, s.id") if q else "s.legal_name, s.id"
    base = f"FROM structures s JOIN directory_cards c ON c.structure_id = s.id WHERE {clause}"
    total = conn.execute(f"SELECT count(*) AS n {base}", params).fetchone()["n"]
    rows = conn.execute(f"SELECT {_COLUMNS} {base} ORDER BY {order}"
                        " LIMIT %(limit)s OFFSET %(offset)s", params).fetchall()
    return rows, total


def listed_labels(conn: psycopg.Connection) -> list[str]:
    """The labels the listed cards carry, for the search's filter."""
    return [row["label"] for row in conn.execute(
        "SELECT DISTINCT l AS label FROM directory_cards c, unnest(c.labels) AS l"
        " WHERE c.listed ORDER BY 1")]
