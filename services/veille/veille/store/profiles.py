"""Alert profiles of the structures, with their keywords' lexemes computed by PostgreSQL."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

PROFILE_COLUMNS = ("id, structure_id, name, cpv_prefixes, keywords, keyword_lexemes, departments,"
                   " min_value, max_value, reserved_only, notice_kinds, clauses, created_at,"
                   " updated_at")


def keyword_lexemes(conn: psycopg.Connection, keywords: list[str]) -> list[list[str]]:
    """Each keyword's stemmed, accent-folded lexemes, exactly as tenders are indexed."""
    return [
        conn.execute("SELECT coalesce(tsvector_to_array(to_tsvector('fr_unaccent', %s)), '{}')"
                     " AS lexemes", (keyword,)).fetchone()["lexemes"]
        for keyword in keywords
    ]


def _values(conn: psycopg.Connection, data: dict[str, Any]) -> dict[str, Any]:
    return {"clauses": [], **data,
            "keyword_lexemes": Jsonb(keyword_lexemes(conn, data["keywords"]))}


def create_profile(conn: psycopg.Connection, data: dict[str, Any]) -> dict[str, Any]:
    return conn.execute(
        "INSERT INTO alert_profiles (structure_id, name, cpv_prefixes, keywords, keyword_lexemes,"
        " departments, min_value, max_value, reserved_only, notice_kinds, clauses) VALUES"
        " (%(structure_id)s, %(name)s, %(cpv_prefixes)s, %(keywords)s, %(keyword_lexemes)s,"
        " %(departments)s, %(min_value)s, %(max_value)s, %(reserved_only)s, %(notice_kinds)s,"
        " %(clauses)s)"
        f" RETURNING {PROFILE_COLUMNS}", _values(conn, data)).fetchone()


def update_profile(conn: psycopg.Connection, profile_id: int, data: dict[str, Any]
                   ) -> dict[str, Any] | None:
    return conn.execute(
        "UPDATE alert_profiles SET name = %(name)s, cpv_prefixes = %(cpv_prefixes)s,"
        " keywords = %(keywords)s, keyword_lexemes = %(keyword_lexemes)s,"
        " departments = %(departments)s, min_value = %(min_value)s, max_value = %(max_value)s,"
        " reserved_only = %(reserved_only)s, notice_kinds = %(notice_kinds)s,"
        " clauses = %(clauses)s,"
        f" updated_at = now() WHERE id = %(id)s RETURNING {PROFILE_COLUMNS}",
        {**_values(conn, data), "id": profile_id}).fetchone()


def delete_profile(conn: psycopg.Connection, profile_id: int) -> bool:
    deleted = conn.execute("DELETE FROM alert_profiles WHERE id = %s RETURNING id",
                           (profile_id,)).fetchone()
    if deleted:
        conn.execute("INSERT INTO alert_profiles_deleted (id) VALUES (%s) ON CONFLICT DO NOTHING",
                     (profile_id,))
    return deleted is not None


def get_profile(conn: psycopg.Connection, profile_id: int) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {PROFILE_COLUMNS} FROM alert_profiles WHERE id = %s",
                        (profile_id,)).fetchone()


def list_profiles(conn: psycopg.Connection, structure_id: int | None) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {PROFILE_COLUMNS} FROM alert_profiles WHERE %(s)s::bigint IS NULL OR"
        " structure_id = %(s)s ORDER BY structure_id, name", {"s": structure_id}).fetchall()


def profiles_revision(conn: psycopg.Connection) -> tuple[Any, int]:
    """The time now and the profiles' revision, bumped by every write to them (migration 0004)."""
    row = conn.execute("SELECT now() AS now, revision FROM alert_profiles_revision").fetchone()
    return row["now"], row["revision"]


def profiles_changed_since(conn: psycopg.Connection, since) -> tuple[list[dict], list[int]]:
    """Profiles written and ids deleted since ``since`` (None: everything)."""
    if since is None:
        return conn.execute(f"SELECT {PROFILE_COLUMNS} FROM alert_profiles").fetchall(), []
    rows = conn.execute(f"SELECT {PROFILE_COLUMNS} FROM alert_profiles WHERE updated_at >= %s",
                        (since,)).fetchall()
    deleted = [r["id"] for r in conn.execute(
        "SELECT id FROM alert_profiles_deleted WHERE deleted_at >= %s", (since,)).fetchall()]
    return rows, deleted
