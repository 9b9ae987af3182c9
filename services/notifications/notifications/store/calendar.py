"""The structures' calendar entries, changed by case and registration events."""

from __future__ import annotations

from datetime import datetime

import psycopg

from ..domain.calendar import CANCELLED, CancelCase, CancelEntry, CancelSession, Change, Entry

ENTRY_COLUMNS = ("structure_id, uid, category, summary, description, location, starts_at, ends_at,"
                 " status, case_id, session_id, sequence, updated_at")


def apply(conn: psycopg.Connection, change: Change, occurred_at: datetime) -> None:
    """Apply one change; an event older than the entry's last one changes nothing."""
    if isinstance(change, Entry):
        conn.execute(
            "INSERT INTO calendar_entries (structure_id, uid, category, summary, description,"
            " location, starts_at, ends_at, status, case_id, session_id, source_occurred_at)"
            " VALUES (%(structure_id)s, %(uid)s, %(category)s, %(summary)s, %(description)s,"
            " %(location)s, %(starts_at)s, %(ends_at)s, %(status)s, %(case_id)s, %(session_id)s,"
            " %(at)s) ON CONFLICT (structure_id, uid) DO UPDATE SET"
            " summary = EXCLUDED.summary, description = EXCLUDED.description,"
            " location = EXCLUDED.location, starts_at = EXCLUDED.starts_at,"
            " ends_at = EXCLUDED.ends_at,"
            # a cancelled session stays cancelled whatever registration event comes late
            " status = CASE WHEN calendar_entries.status = 'CANCELLED'"
            "   AND calendar_entries.category = 'formation' THEN 'CANCELLED'"
            "   ELSE EXCLUDED.status END,"
            " sequence = calendar_entries.sequence + 1,"
            " source_occurred_at = EXCLUDED.source_occurred_at, updated_at = now()"
            " WHERE calendar_entries.source_occurred_at <= EXCLUDED.source_occurred_at"
            " AND (calendar_entries.summary, calendar_entries.description,"
            "      calendar_entries.starts_at, calendar_entries.ends_at, calendar_entries.status,"
            "      calendar_entries.location)"
            "   IS DISTINCT FROM (EXCLUDED.summary, EXCLUDED.description, EXCLUDED.starts_at,"
            "      EXCLUDED.ends_at, EXCLUDED.status, EXCLUDED.location)",
            {"structure_id": change.structure_id, "uid": change.uid,
             "category": change.category, "summary": change.summary,
             "description": change.description, "location": change.location,
             "starts_at": change.starts_at, "ends_at": change.ends_at, "status": change.status,
             "case_id": change.case_id, "session_id": change.session_id, "at": occurred_at},
        )
    elif isinstance(change, CancelSession):
        conn.execute(
            "UPDATE calendar_entries SET status = %s, sequence = sequence + 1, updated_at = now(),"
            " source_occurred_at = GREATEST(source_occurred_at, %s)"
            " WHERE session_id = %s AND status <> %s",
            (CANCELLED, occurred_at, change.session_id, CANCELLED))
    elif isinstance(change, CancelCase):
        conn.execute(
            "UPDATE calendar_entries SET status = %s, sequence = sequence + 1, updated_at = now(),"
            " source_occurred_at = GREATEST(source_occurred_at, %s)"
            " WHERE case_id = %s AND category = 'echeance' AND status <> %s"
            " AND source_occurred_at <= %s",
            (CANCELLED, occurred_at, change.case_id, CANCELLED, occurred_at))
    elif isinstance(change, CancelEntry):
        conn.execute(
            "UPDATE calendar_entries SET status = %s, sequence = sequence + 1, updated_at = now(),"
            " source_occurred_at = GREATEST(source_occurred_at, %s)"
            " WHERE uid = %s AND status <> %s", (CANCELLED, occurred_at, change.uid, CANCELLED))


def entries_for(conn: psycopg.Connection, structure_id: int) -> list[Entry]:
    rows = conn.execute(f"SELECT {ENTRY_COLUMNS} FROM calendar_entries WHERE structure_id = %s"
                        " ORDER BY starts_at, uid", (structure_id,)).fetchall()
    return [Entry(**row) for row in rows]


def feed_generation(conn: psycopg.Connection, structure_id: int) -> int:
    row = conn.execute("SELECT generation FROM calendar_feeds WHERE structure_id = %s",
                       (structure_id,)).fetchone()
    return row["generation"] if row else 0


def regenerate_feed(conn: psycopg.Connection, structure_id: int, by: str) -> int:
    """The next generation of the structure's calendar address (the older ones are revoked)."""
    return conn.execute(
        "INSERT INTO calendar_feeds (structure_id, generation, regenerated_by) VALUES (%s, 1, %s)"
        " ON CONFLICT (structure_id) DO UPDATE SET generation = calendar_feeds.generation + 1,"
        " regenerated_by = EXCLUDED.regenerated_by, regenerated_at = now()"
        " RETURNING generation", (structure_id, by)).fetchone()["generation"]
