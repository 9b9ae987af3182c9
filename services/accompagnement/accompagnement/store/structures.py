"""The structures registry: a structure with its references and contacts, as one document."""

from __future__ import annotations

from typing import Any

import psycopg

from .events import emit

COLUMNS = ("legal_name", "siret", "legal_form", "category", "insertion_kind", "street",
           "postal_code", "city", "departement", "activities", "headcount", "annual_turnover",
           "insurance_coverage", "insurer", "insurance_expires_on", "insertion_hours_per_year",
           "people_supported", "local_employment_percent", "social_mission")
CAPACITIES = ("headcount", "annual_turnover", "insurance_coverage", "insurer",
              "insurance_expires_on")
SOCIAL_VALUE = ("insertion_hours_per_year", "people_supported", "local_employment_percent",
                "social_mission")


class DuplicateSiret(Exception):
    def __init__(self, structure_id: int):
        super().__init__(structure_id)
        self.structure_id = structure_id


def _columns(data: dict[str, Any]) -> dict[str, Any]:
    """The structure document (API shape) flattened to the table's columns."""
    address = data.get("address") or {}
    capacities = data.get("capacities") or {}
    social = data.get("social_value") or {}
    row = {name: data.get(name) for name in ("legal_name", "siret", "legal_form", "category",
                                             "insertion_kind", "departement")}
    row["activities"] = list(data.get("activities") or [])
    row.update({name: address.get(name) for name in ("street", "postal_code", "city")})
    row.update({name: capacities.get(name) for name in CAPACITIES})
    row.update({name: social.get(name) for name in SOCIAL_VALUE})
    return row


def _document(row: dict[str, Any], references: list[dict], contacts: list[dict]) -> dict[str, Any]:
    address = None
    if row["street"] or row["postal_code"] or row["city"]:
        address = {name: row[name] for name in ("street", "postal_code", "city")}
    return {
        "id": row["id"],
        **{name: row[name] for name in ("legal_name", "siret", "legal_form", "category",
                                        "insertion_kind", "departement")},
        "siret": row["siret"].strip(),
        "activities": list(row["activities"]),
        "address": address,
        "capacities": {name: row[name] for name in CAPACITIES},
        "social_value": {name: row[name] for name in SOCIAL_VALUE},
        "references": references,
        "contacts": contacts,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }


def _write_children(conn: psycopg.Connection, structure_id: int, data: dict[str, Any]) -> None:
    conn.execute("DELETE FROM structure_references WHERE structure_id = %s", (structure_id,))
    conn.execute("DELETE FROM structure_contacts WHERE structure_id = %s", (structure_id,))
    for position, ref in enumerate(data.get("references") or []):
        conn.execute(
            "INSERT INTO structure_references (structure_id, position, title, buyer, year, amount,"
            " cpv_codes) VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (structure_id, position, ref["title"], ref["buyer"], ref["year"], ref.get("amount"),
             list(ref.get("cpv_codes") or [])))
    for position, contact in enumerate(data.get("contacts") or []):
        conn.execute(
            "INSERT INTO structure_contacts (structure_id, position, name, email, role, phone)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            (structure_id, position, contact["name"], contact["email"], contact.get("role"),
             contact.get("phone")))


def announce_again(conn: psycopg.Connection, limit: int, offset: int) -> int:
    """``structure.updated`` for a page of the registry, by id: the copies other services keep
    (veille, formation, notifications) catch up on structures registered before they listened.
    The number of structures announced."""
    rows = conn.execute("SELECT * FROM structures ORDER BY id LIMIT %s OFFSET %s",
                        (limit, offset)).fetchall()
    for structure in _with_children(conn, rows) if rows else []:
        _announce(conn, "structure.updated", structure)
    return len(rows)


def _announce(conn: psycopg.Connection, event_type: str, structure: dict[str, Any]) -> None:
    emit(conn, event_type, f"structure:{structure['id']}", {
        "structure_id": structure["id"], "legal_name": structure["legal_name"],
        "siret": structure["siret"], "category": structure["category"],
        "departement": structure["departement"], "legal_form": structure["legal_form"],
        "insertion_kind": structure["insertion_kind"], "activities": structure["activities"],
        "contacts": [{"name": c["name"], "email": c["email"], "role": c["role"]}
                     for c in structure["contacts"]],
    })


def id_of_siret(conn: psycopg.Connection, siret: str) -> int | None:
    row = conn.execute("SELECT id FROM structures WHERE siret = %s", (siret,)).fetchone()
    return row["id"] if row else None


def create_structure(conn: psycopg.Connection, data: dict[str, Any]) -> dict[str, Any]:
    existing = id_of_siret(conn, data["siret"])
    if existing is not None:
        raise DuplicateSiret(existing)
    row = _columns(data)
    names = ", ".join(row)
    values = ", ".join(f"%({name})s" for name in row)
    try:
        with conn.transaction():
            structure_id = conn.execute(
                f"INSERT INTO structures ({names}) VALUES ({values}) RETURNING id", row,
            ).fetchone()["id"]
    except psycopg.errors.UniqueViolation:  # registered concurrently
        raise DuplicateSiret(id_of_siret(conn, data["siret"])) from None
    _write_children(conn, structure_id, data)
    structure = get_structure(conn, structure_id)
    _announce(conn, "structure.registered", structure)
    return structure


def update_structure(conn: psycopg.Connection, structure_id: int,
                     data: dict[str, Any]) -> dict[str, Any]:
    other = id_of_siret(conn, data["siret"])
    if other is not None and other != structure_id:
        raise DuplicateSiret(other)
    row = _columns(data)
    assignments = ", ".join(f"{name} = %({name})s" for name in row)
    try:
        with conn.transaction():
            conn.execute(f"UPDATE structures SET {assignments}, updated_at = now()"
                         " WHERE id = %(id)s", {**row, "id": structure_id})
    except psycopg.errors.UniqueViolation:
        raise DuplicateSiret(id_of_siret(conn, data["siret"])) from None
    _write_children(conn, structure_id, data)
    structure = get_structure(conn, structure_id)
    _announce(conn, "structure.updated", structure)
    return structure


def get_structure(conn: psycopg.Connection, structure_id: int) -> dict[str, Any] | None:
    row = conn.execute("SELECT * FROM structures WHERE id = %s", (structure_id,)).fetchone()
    if row is None:
        return None
    return _with_children(conn, [row])[0]


def _with_children(conn: psycopg.Connection, rows: list[dict]) -> list[dict[str, Any]]:
    ids = [row["id"] for row in rows]
    references: dict[int, list] = {i: [] for i in ids}
    contacts: dict[int, list] = {i: [] for i in ids}
    for ref in conn.execute(
            "SELECT structure_id, title, buyer, year, amount, cpv_codes FROM structure_references"
            " WHERE structure_id = ANY(%s) ORDER BY structure_id, position", (ids,)):
        references[ref.pop("structure_id")].append({**ref, "cpv_codes": list(ref["cpv_codes"])})
    for contact in conn.execute(
            "SELECT structure_id, name, email, role, phone FROM structure_contacts"
            " WHERE structure_id = ANY(%s) ORDER BY structure_id, position", (ids,)):
        contacts[contact.pop("structure_id")].append(contact)
    return [_document(row, references[row["id"]], contacts[row["id"]]) for row in rows]


STRUCTURE_FILTERS = (
    " WHERE (%(only)s::bigint IS NULL OR id = %(only)s)"
    " AND (%(ids)s::bigint[] IS NULL OR id = ANY(%(ids)s))"
    " AND (%(category)s::text IS NULL OR category = %(category)s)"
    " AND (%(departement)s::text IS NULL OR departement = %(departement)s)"
    " AND (%(search)s::text IS NULL OR legal_name ILIKE '%%' || %(search)s || '%%'"
    "      OR siret LIKE %(search)s || '%%')")


def list_structures(conn: psycopg.Connection, *, only_id: int | None = None,
                    category: str | None = None, departement: str | None = None,
                    search: str | None = None, limit: int = 50, offset: int = 0,
                    ids: list[int] | None = None) -> list[dict[str, Any]]:
    rows = conn.execute(
        f"SELECT * FROM structures{STRUCTURE_FILTERS}"
        " ORDER BY legal_name, id LIMIT %(limit)s OFFSET %(offset)s",
        {"only": only_id, "category": category, "departement": departement, "search": search,
         "limit": limit, "offset": offset, "ids": ids}).fetchall()
    return _with_children(conn, rows) if rows else []


def count_structures(conn: psycopg.Connection, *, only_id: int | None = None,
                     category: str | None = None, departement: str | None = None,
                     search: str | None = None, ids: list[int] | None = None) -> int:
    return conn.execute(
        f"SELECT count(*) AS n FROM structures{STRUCTURE_FILTERS}",
        {"only": only_id, "category": category, "departement": departement, "search": search,
         "ids": ids}).fetchone()["n"]


def all_structures(conn: psycopg.Connection) -> list[dict[str, Any]]:
    rows = conn.execute("SELECT * FROM structures ORDER BY id").fetchall()
    return _with_children(conn, rows) if rows else []


def delete_structure(conn: psycopg.Connection, structure_id: int) -> bool:
    """False when cases or groupements refer to the structure (it is kept)."""
    used = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM cases WHERE structure_id = %(id)s)"
        " OR EXISTS (SELECT 1 FROM consortium_members WHERE structure_id = %(id)s) AS used",
        {"id": structure_id}).fetchone()["used"]
    if used:
        return False
    conn.execute("DELETE FROM structures WHERE id = %s", (structure_id,))
    return True
