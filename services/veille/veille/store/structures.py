"""Veille's copy of accompagnement's structures (``structure.registered`` / ``.updated``): the
category a reserved lot is compared with, the name and SIRET a need's winner is named by."""

from __future__ import annotations

from typing import Any

import psycopg

from ..domain.reservations import reservations_open_to


def keep_structure(conn: psycopg.Connection, data: dict[str, Any]) -> None:
    conn.execute(
        "INSERT INTO structures (id, name, category, insertion_kind, legal_form, siret) VALUES"
        " (%(structure_id)s, %(legal_name)s, %(category)s, %(insertion_kind)s, %(legal_form)s,"
        " %(siret)s) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
        " category = EXCLUDED.category, insertion_kind = EXCLUDED.insertion_kind,"
        " legal_form = EXCLUDED.legal_form, siret = EXCLUDED.siret, updated_at = now()",
        {"structure_id": data["structure_id"], "legal_name": data.get("legal_name") or "",
         "siret": data.get("siret"),
         "category": data.get("category"), "insertion_kind": data.get("insertion_kind"),
         "legal_form": data.get("legal_form")})


def is_known(conn: psycopg.Connection, structure_id: int) -> bool:
    """Whether accompagnement's registry announced the structure (``structure.registered``)."""
    return conn.execute("SELECT 1 FROM structures WHERE id = %s",
                        (structure_id,)).fetchone() is not None


def reservations_of(conn: psycopg.Connection, structure_ids: set[int]
                    ) -> dict[int, frozenset[str] | None]:
    """What each structure may answer of reserved lots; absent when veille does not know it."""
    if not structure_ids:
        return {}
    rows = conn.execute("SELECT id, category, insertion_kind, legal_form FROM structures"
                        " WHERE id = ANY(%s)", (list(structure_ids),)).fetchall()
    return {row["id"]: reservations_open_to(row["category"], row["insertion_kind"],
                                            row["legal_form"]) for row in rows}
