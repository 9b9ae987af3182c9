"""The facilitator's follow-up of social clauses: notes on tenders, awarded contracts with a
clause and their monthly insertion hours (hours stay ``numeric``; the schemas make them JSON
numbers)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import psycopg

NOTE_COLUMNS = "tender_id, hours_required, buyer_contact, note, updated_by, updated_at"
CONTRACT_COLUMNS = ("c.id, c.tender_id, nullif(c.lot_id, '') AS lot_id, c.title, c.buyer_name,"
                    " c.winner_name, c.winner_siret, c.cpv_codes, c.hours_required,"
                    " cardinality(c.structures_told) AS structures_told, c.created_by,"
                    " c.created_at, coalesce((SELECT sum(h.hours) FROM clause_hours h"
                    " WHERE h.contract_id = c.id), 0) AS hours_done")


def note_of(conn: psycopg.Connection, tender_id: int) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {NOTE_COLUMNS} FROM clause_notes WHERE tender_id = %s",
                        (tender_id,)).fetchone()


def notes_of(conn: psycopg.Connection, tender_ids: list[int], limit: int, offset: int
             ) -> tuple[list[dict[str, Any]], int]:
    rows = conn.execute(f"SELECT {NOTE_COLUMNS}, count(*) OVER () AS total FROM clause_notes"
                        " WHERE tender_id = ANY(%s) ORDER BY tender_id LIMIT %s OFFSET %s",
                        (tender_ids, limit, offset)).fetchall()
    total = rows[0]["total"] if rows else 0
    return rows, total


def save_note(conn: psycopg.Connection, tender_id: int, values: dict[str, Any], by: str
              ) -> dict[str, Any]:
    return conn.execute(
        "INSERT INTO clause_notes (tender_id, hours_required, buyer_contact, note, updated_by)"
        " VALUES (%(tender_id)s, %(hours_required)s, %(buyer_contact)s, %(note)s, %(by)s)"
        " ON CONFLICT (tender_id) DO UPDATE SET hours_required = EXCLUDED.hours_required,"
        " buyer_contact = EXCLUDED.buyer_contact, note = EXCLUDED.note,"
        " updated_by = EXCLUDED.updated_by, updated_at = now()"
        f" RETURNING {NOTE_COLUMNS}",
        {**values, "tender_id": tender_id, "by": by}).fetchone()


def _with_months(conn: psycopg.Connection, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    months: dict[int, list[dict[str, Any]]] = {row["id"]: [] for row in rows}
    if months:
        for month in conn.execute(
                "SELECT contract_id, month, hours, entered_by, entered_at FROM clause_hours"
                " WHERE contract_id = ANY(%s) ORDER BY month", (list(months),)):
            months[month.pop("contract_id")].append(month)
    for row in rows:
        row["months"] = months[row["id"]]
    return rows


def contracts(conn: psycopg.Connection, tender_ids: list[int] | None, limit: int, offset: int
              ) -> tuple[list[dict[str, Any]], int]:
    """The followed contracts (of these tenders only, when given), newest first, and how many
    there are."""
    rows = conn.execute(
        f"SELECT {CONTRACT_COLUMNS}, count(*) OVER () AS total FROM clause_contracts c"
        " WHERE %(tenders)s::bigint[] IS NULL OR c.tender_id = ANY(%(tenders)s)"
        " ORDER BY c.created_at DESC, c.id DESC LIMIT %(limit)s OFFSET %(offset)s",
        {"tenders": tender_ids, "limit": limit, "offset": offset}).fetchall()
    total = rows[0]["total"] if rows else 0
    return _with_months(conn, rows), total


def contract(conn: psycopg.Connection, contract_id: int) -> dict[str, Any] | None:
    row = conn.execute(f"SELECT {CONTRACT_COLUMNS} FROM clause_contracts c WHERE c.id = %s",
                       (contract_id,)).fetchone()
    return _with_months(conn, [row])[0] if row is not None else None


def add_contract(conn: psycopg.Connection, values: dict[str, Any], by: str) -> int | None:
    """The new contract's id; None when the tender's lot is followed already."""
    row = conn.execute(
        "INSERT INTO clause_contracts (tender_id, lot_id, title, buyer_name, winner_name,"
        " winner_siret, cpv_codes, hours_required, created_by) VALUES (%(tender_id)s,"
        " coalesce(%(lot_id)s, ''), %(title)s, %(buyer_name)s, %(winner_name)s,"
        " %(winner_siret)s, %(cpv_codes)s, %(hours_required)s, %(by)s)"
        " ON CONFLICT (tender_id, lot_id) DO NOTHING RETURNING id",
        {**values, "by": by}).fetchone()
    return row["id"] if row else None


def note_structures_told(conn: psycopg.Connection, contract_id: int, structure_ids: list[int]
                         ) -> None:
    conn.execute("UPDATE clause_contracts SET structures_told = %s WHERE id = %s",
                 (structure_ids, contract_id))


def record_hours(conn: psycopg.Connection, contract_id: int, month: date, hours: Decimal,
                 by: str) -> None:
    """The hours done in a month; entered again, the month's figure is replaced."""
    conn.execute(
        "INSERT INTO clause_hours (contract_id, month, hours, entered_by) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (contract_id, month) DO UPDATE SET hours = EXCLUDED.hours,"
        " entered_by = EXCLUDED.entered_by, entered_at = now()",
        (contract_id, month.replace(day=1), hours, by))


def siae_rows(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """The registry's insertion structures (who could subcontract)."""
    return conn.execute("SELECT id, siret, category, insertion_kind, departement, activities"
                        " FROM structures WHERE category = 'insertion' ORDER BY id").fetchall()
