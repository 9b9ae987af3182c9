"""CPV reference data: codes with their French labels and their parent in the hierarchy."""

from __future__ import annotations

from typing import Iterable, Mapping

import psycopg

from ..domain.cpv import CpvEntry


def upsert_codes(conn: psycopg.Connection, entries: Iterable[CpvEntry]) -> int:
    rows = [(e.code, e.label_fr, e.label_en, e.parent) for e in entries]
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO cpv_codes (code, label_fr, label_en, parent) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (code) DO UPDATE SET label_fr = EXCLUDED.label_fr,"
            " label_en = coalesce(EXCLUDED.label_en, cpv_codes.label_en),"
            " parent = EXCLUDED.parent", rows)
    return len(rows)


def labels_for(conn: psycopg.Connection, codes: Iterable[str]) -> Mapping[str, str]:
    codes = sorted(set(codes))
    if not codes:
        return {}
    rows = conn.execute("SELECT code, label_fr FROM cpv_codes WHERE code = ANY(%s)",
                        (codes,)).fetchall()
    return {row["code"]: row["label_fr"] for row in rows}


def lookup(conn: psycopg.Connection, prefix: str, limit: int = 50) -> list[dict]:
    return conn.execute(
        "SELECT code, label_fr, parent FROM cpv_codes WHERE code LIKE %s ORDER BY code LIMIT %s",
        (prefix + "%", limit)).fetchall()
