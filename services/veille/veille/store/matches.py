"""Matches of tenders with structures' profiles, and a structure's "not interested"."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb


def record_matches(conn: psycopg.Connection, tender_id: int, matches: list) -> set[int]:
    """Record matches in one statement; return the profiles matched for the first time (the
    others already had their alert). A structure that said "not interested" in this tender
    gets no new match."""
    if not matches:
        return set()
    rows = conn.execute(
        "INSERT INTO matches (tender_id, profile_id, structure_id, score, reasons, lots)"
        " SELECT %s, m.profile_id, m.structure_id, m.score, m.reasons, "
        " ARRAY(SELECT jsonb_array_elements_text(m.lots))"
        " FROM jsonb_to_recordset(%s) AS m(profile_id bigint, structure_id bigint,"
        " score numeric, reasons jsonb, lots jsonb)"
        " WHERE NOT EXISTS (SELECT 1 FROM dismissals d WHERE d.tender_id = %s"
        " AND d.structure_id = m.structure_id)"
        " ON CONFLICT (tender_id, profile_id) DO NOTHING RETURNING profile_id",
        (tender_id, Jsonb([{"profile_id": m.profile_id, "structure_id": m.structure_id,
                            "score": m.score, "reasons": m.reasons, "lots": m.lots}
                           for m in matches]), tender_id)).fetchall()
    return {row["profile_id"] for row in rows}


def alerted_structures(conn: psycopg.Connection, tender_id: int) -> list[int]:
    """The structures alerted about this tender that did not say "not interested"."""
    rows = conn.execute(
        "SELECT DISTINCT m.structure_id FROM matches m WHERE m.tender_id = %s AND NOT EXISTS"
        " (SELECT 1 FROM dismissals d WHERE d.tender_id = m.tender_id"
        " AND d.structure_id = m.structure_id) ORDER BY m.structure_id", (tender_id,)).fetchall()
    return [row["structure_id"] for row in rows]


def list_matches(conn: psycopg.Connection, structure_id: int, include_dismissed: bool,
                 limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    where = "m.structure_id = %(s)s" + ("" if include_dismissed else " AND d.tender_id IS NULL")
    total = conn.execute(
        f"SELECT count(*) AS n FROM matches m LEFT JOIN dismissals d ON d.tender_id = m.tender_id"
        f" AND d.structure_id = m.structure_id WHERE {where}", {"s": structure_id}).fetchone()["n"]
    rows = conn.execute(
        "SELECT m.id, m.tender_id, m.profile_id, p.name AS profile_name, m.score, m.reasons,"
        " m.lots, m.matched_at, t.title, t.buyer_name, t.deadline, t.renewal_expected_on,"
        " d.reason AS dismissed_reason FROM matches m JOIN tenders t ON t.id = m.tender_id"
        " LEFT JOIN alert_profiles p ON p.id = m.profile_id"
        " LEFT JOIN dismissals d ON d.tender_id = m.tender_id AND d.structure_id = m.structure_id"
        f" WHERE {where} ORDER BY m.matched_at DESC, m.id DESC LIMIT %(l)s OFFSET %(o)s",
        {"s": structure_id, "l": limit, "o": offset}).fetchall()
    return rows, total


def dismiss(conn: psycopg.Connection, tender_id: int, structure_id: int, reason: str,
            by: str) -> None:
    conn.execute(
        "INSERT INTO dismissals (tender_id, structure_id, reason, dismissed_by) VALUES"
        " (%s, %s, %s, %s) ON CONFLICT (tender_id, structure_id) DO UPDATE SET"
        " reason = EXCLUDED.reason, dismissed_by = EXCLUDED.dismissed_by, dismissed_at = now()",
        (tender_id, structure_id, reason, by))
