"""Matching's SQL: a tender as matching reads it, the open tenders a new profile may meet,
matches per (tender, profile), alerts per (tender, structure), and a structure's "not
interested"."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

# A tender as matching sees it. Its lexemes are those of its title, description and lots
# (``content``), never its buyer's name.
_FEATURE_COLUMNS = (
    "t.id, t.title, t.deadline, t.closes_at, t.result, t.cpv_codes, t.departments,"
    " t.estimated_amount, t.currency, t.reserved, t.notice_type, t.in_territory,"
    " t.renewal_expected_on, t.social_clause, t.insertion_clause, t.buyer_name, t.url,"
    " t.documents_url, tsvector_to_array(t.content) AS lexemes,"
    " tsvector_to_array(to_tsvector('fr_unaccent', t.title)) AS title_lexemes,"
    " coalesce((SELECT json_agg(json_build_object('lot_id', l.lot_id, 'title', l.title,"
    "  'cpv_main', l.cpv_main, 'reserved', l.reserved, 'estimated_amount', l.estimated_amount,"
    "  'deadline', l.deadline, 'result', l.result, 'social_clause', l.social_clause,"
    "  'insertion_clause', l.insertion_clause) ORDER BY l.lot_id)"
    "  FROM tender_lots l WHERE l.tender_id = t.id), '[]') AS lots")


def tender_for_matching(conn: psycopg.Connection, tender_id: int) -> dict[str, Any] | None:
    """The tender's features, the time now and the profiles' revision, in one round trip."""
    return conn.execute(
        f"SELECT {_FEATURE_COLUMNS}, now() AS now,"
        " (SELECT revision FROM alert_profiles_revision) AS profiles_revision"
        " FROM tenders t WHERE t.id = %s", (tender_id,)).fetchone()


def open_tenders_for_profile(conn: psycopg.Connection, profile: dict[str, Any]
                             ) -> list[dict[str, Any]]:
    """The territory's tenders a profile could match now: still open (or an expected renewal),
    narrowed by the profile's most selective criteria through the indexes; the matching
    itself is the domain's."""
    where = ["t.in_territory",
             "((t.result IS NULL AND (t.closes_at IS NULL OR t.closes_at > now()))"
             " OR t.renewal_expected_on IS NOT NULL)"]
    params: dict[str, Any] = {}
    if profile["cpv_prefixes"]:
        where.append("t.cpv_prefixes && %(cpv)s::text[]")
        params["cpv"] = list(profile["cpv_prefixes"])
    elif profile["keyword_lexemes"]:
        where.append("t.content @@ %(words)s::tsquery")
        params["words"] = " | ".join(
            "(" + " & ".join(_quoted_lexeme(lexeme) for lexeme in lexemes) + ")"
            for lexemes in profile["keyword_lexemes"] if lexemes)
    if profile["departments"]:
        where.append("t.departments && %(departments)s::text[]")
        params["departments"] = list(profile["departments"])
    if profile.get("reserved_only"):
        where.append("t.reserved <> '{}'")
    return conn.execute(f"SELECT {_FEATURE_COLUMNS} FROM tenders t WHERE {' AND '.join(where)}",
                        params).fetchall()


def _quoted_lexeme(lexeme: str) -> str:
    """A lexeme as a tsquery literal: already stemmed, it must not be parsed again."""
    return "'" + lexeme.replace("'", "''") + "'"


def record_matches(conn: psycopg.Connection, found: list[tuple[int, Any]]) -> set[tuple[int, int]]:
    """Record (tender id, match) pairs in one statement; return the (tender, profile) pairs
    matched for the first time. A structure that said "not interested" in a tender gets no new
    match on it."""
    if not found:
        return set()
    rows = conn.execute(
        "INSERT INTO matches (tender_id, profile_id, structure_id, score, reasons, lots)"
        " SELECT m.tender_id, m.profile_id, m.structure_id, m.score, m.reasons, "
        " ARRAY(SELECT jsonb_array_elements_text(m.lots))"
        " FROM jsonb_to_recordset(%s) AS m(tender_id bigint, profile_id bigint,"
        " structure_id bigint, score numeric, reasons jsonb, lots jsonb)"
        " WHERE NOT EXISTS (SELECT 1 FROM dismissals d WHERE d.tender_id = m.tender_id"
        " AND d.structure_id = m.structure_id)"
        " ON CONFLICT (tender_id, profile_id) DO NOTHING RETURNING tender_id, profile_id",
        (Jsonb([{"tender_id": tender_id, "profile_id": m.profile_id,
                 "structure_id": m.structure_id, "score": m.score, "reasons": m.reasons,
                 "lots": m.lots} for tender_id, m in found]),)).fetchall()
    return {(row["tender_id"], row["profile_id"]) for row in rows}


def record_alerts(conn: psycopg.Connection, rows: list[dict[str, Any]]) -> set[tuple[int, int]]:
    """Record alerts (``tender_id, structure_id, profile_ids, lots, score, reasons,
    score_parts``) in one statement: a new (tender, structure) is inserted, an existing one
    only gathers the new profiles and lots, silently. The (tender, structure) pairs alerted
    for the first time, which alone are announced. A dismissed tender is not alerted again."""
    if not rows:
        return set()
    found = conn.execute(
        "INSERT INTO alerts (tender_id, structure_id, profile_ids, lots, score, reasons,"
        " score_parts)"
        " SELECT a.tender_id, a.structure_id, ARRAY(SELECT jsonb_array_elements_text("
        "  a.profile_ids)::bigint), ARRAY(SELECT jsonb_array_elements_text(a.lots)),"
        "  a.score, a.reasons, a.score_parts"
        " FROM jsonb_to_recordset(%s) AS a(tender_id bigint, structure_id bigint,"
        "  profile_ids jsonb, lots jsonb, score numeric, reasons jsonb, score_parts jsonb)"
        " WHERE NOT EXISTS (SELECT 1 FROM dismissals d WHERE d.tender_id = a.tender_id"
        "  AND d.structure_id = a.structure_id)"
        " ON CONFLICT (tender_id, structure_id) DO UPDATE SET"
        "  profile_ids = ARRAY(SELECT DISTINCT unnest(alerts.profile_ids || EXCLUDED.profile_ids)"
        "   ORDER BY 1),"
        "  lots = ARRAY(SELECT DISTINCT unnest(alerts.lots || EXCLUDED.lots) ORDER BY 1),"
        "  updated_at = now()"
        " RETURNING tender_id, structure_id, (xmax = 0) AS inserted",
        (Jsonb(rows),)).fetchall()
    return {(row["tender_id"], row["structure_id"]) for row in found if row["inserted"]}


def alerted_structures(conn: psycopg.Connection, tender_id: int,
                       before_version: int | None = None) -> list[int]:
    """The structures alerted about this tender that did not say "not interested"; with
    ``before_version``, only those alerted before that version of the tender was recorded."""
    rows = conn.execute(
        "SELECT a.structure_id FROM alerts a WHERE a.tender_id = %(t)s AND NOT EXISTS"
        " (SELECT 1 FROM dismissals d WHERE d.tender_id = a.tender_id"
        " AND d.structure_id = a.structure_id) AND (%(v)s::int IS NULL OR a.alerted_at <"
        " (SELECT v.recorded_at FROM tender_versions v WHERE v.tender_id = a.tender_id"
        " AND v.version = %(v)s)) ORDER BY a.structure_id",
        {"t": tender_id, "v": before_version}).fetchall()
    return [row["structure_id"] for row in rows]


def list_alerts(conn: psycopg.Connection, structure_id: int, include_dismissed: bool,
                limit: int, offset: int) -> tuple[list[dict[str, Any]], int]:
    """A structure's alerts, one per tender, newest first, with the profiles that matched."""
    where = "a.structure_id = %(s)s" + ("" if include_dismissed else " AND d.tender_id IS NULL")
    total = conn.execute(
        f"SELECT count(*) AS n FROM alerts a LEFT JOIN dismissals d ON d.tender_id = a.tender_id"
        f" AND d.structure_id = a.structure_id WHERE {where}", {"s": structure_id}).fetchone()["n"]
    rows = conn.execute(
        "SELECT a.id, a.tender_id, a.profile_ids[1] AS profile_id, a.score, a.reasons,"
        " a.score_parts, a.lots, a.alerted_at AS matched_at, t.title, t.buyer_name,"
        " t.closes_at AS deadline, t.renewal_expected_on, t.result, t.url, t.documents_url,"
        " d.reason AS dismissed_reason,"
        " (SELECT p.name FROM alert_profiles p WHERE p.id = a.profile_ids[1]) AS profile_name,"
        " coalesce((SELECT json_agg(json_build_object('id', p.id, 'name', p.name)"
        "   ORDER BY array_position(a.profile_ids, p.id))"
        "   FROM alert_profiles p WHERE p.id = ANY(a.profile_ids)), '[]') AS profiles"
        " FROM alerts a JOIN tenders t ON t.id = a.tender_id"
        " LEFT JOIN dismissals d ON d.tender_id = a.tender_id AND d.structure_id = a.structure_id"
        f" WHERE {where} ORDER BY a.alerted_at DESC, a.id DESC LIMIT %(l)s OFFSET %(o)s",
        {"s": structure_id, "l": limit, "o": offset}).fetchall()
    return rows, total


def dismiss(conn: psycopg.Connection, tender_id: int, structure_id: int, reason: str,
            by: str) -> None:
    conn.execute(
        "INSERT INTO dismissals (tender_id, structure_id, reason, dismissed_by) VALUES"
        " (%s, %s, %s, %s) ON CONFLICT (tender_id, structure_id) DO UPDATE SET"
        " reason = EXCLUDED.reason, dismissed_by = EXCLUDED.dismissed_by, dismissed_at = now()",
        (tender_id, structure_id, reason, by))


def undo_dismissal(conn: psycopg.Connection, tender_id: int, structure_id: int) -> bool:
    """The tender is proposed again; False when it was not set aside."""
    return conn.execute("DELETE FROM dismissals WHERE tender_id = %s AND structure_id = %s"
                        " RETURNING tender_id", (tender_id, structure_id)).fetchone() is not None


def profile_matches(conn: psycopg.Connection, profile_id: int, limit: int = 50
                    ) -> list[dict[str, Any]]:
    """What a profile found, newest first (its private feed)."""
    return conn.execute(
        "SELECT m.tender_id, m.matched_at, m.reasons, t.title, t.buyer_name, t.closes_at, t.url"
        " FROM matches m JOIN tenders t ON t.id = m.tender_id WHERE m.profile_id = %s"
        " AND NOT EXISTS (SELECT 1 FROM dismissals d WHERE d.tender_id = m.tender_id"
        " AND d.structure_id = m.structure_id)"
        " ORDER BY m.matched_at DESC, m.tender_id DESC LIMIT %s", (profile_id, limit)).fetchall()
