"""Modules recommended to structures by their diagnoses."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import psycopg


def record_recommendations(conn: psycopg.Connection, structure_id: int, case_id: int | None,
                           codes: list[str], at: datetime) -> None:
    for code in codes:
        conn.execute(
            "INSERT INTO structure_recommendations (structure_id, module_code, case_ids,"
            " recommended_at) VALUES (%(s)s, %(m)s,"
            " CASE WHEN %(c)s::bigint IS NULL THEN '{}'::bigint[] ELSE ARRAY[%(c)s::bigint] END,"
            " %(at)s)"
            " ON CONFLICT (structure_id, module_code) DO UPDATE SET"
            " case_ids = (SELECT coalesce(array_agg(DISTINCT c ORDER BY c), '{}')"
            "   FROM unnest(structure_recommendations.case_ids || EXCLUDED.case_ids) AS c),"
            " recommended_at = greatest(structure_recommendations.recommended_at,"
            "   EXCLUDED.recommended_at)",
            {"s": structure_id, "m": code, "c": case_id, "at": at})


def recommendations(conn: psycopg.Connection, structure_id: int) -> list[dict[str, Any]]:
    """The catalogue modules recommended to a structure, latest first, with how many of its
    people already attended each."""
    return conn.execute(
        "SELECT m.code, m.title, m.objectives, m.duration_h, sr.case_ids, sr.recommended_at,"
        " (SELECT count(*) FROM registrations r JOIN sessions s ON s.id = r.session_id"
        "  WHERE r.structure_id = sr.structure_id AND s.module_code = m.code"
        "  AND r.attended) AS people_trained"
        " FROM structure_recommendations sr JOIN modules m ON m.code = sr.module_code"
        " WHERE sr.structure_id = %s ORDER BY sr.recommended_at DESC, m.title",
        (structure_id,)).fetchall()


def structures_to_tell(conn: psycopg.Connection, module_code: str) -> list[dict[str, Any]]:
    """The structures recommended this module none of whose people attended it yet."""
    return conn.execute(
        "SELECT sr.structure_id, sr.case_ids FROM structure_recommendations sr"
        " WHERE sr.module_code = %s AND NOT EXISTS (SELECT 1 FROM registrations r"
        "   JOIN sessions s ON s.id = r.session_id WHERE r.structure_id = sr.structure_id"
        "   AND s.module_code = sr.module_code AND r.attended)"
        " ORDER BY sr.structure_id", (module_code,)).fetchall()
