"""Moving a session to other dates: the row, its history and ``training.session_rescheduled``.

The session keeps its registrations and waitlist. Registrations closed for the old date open
again when the new date's closing is still ahead (the workflow closes them again then). The
event carries everyone registered or waitlisted, the old and the new dates and the new
invitation (same UID, a higher SEQUENCE), so that notifications tells each person and moves
the session in their calendar.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

from centrale.events import Event
from centrale.outbox import record_event

from . import store
from .domain.registrations import registrations_close_at
from .domain.schedule import move_refusal
from .invitations import invitation_path, session_invitation


def reschedule_session(conn: psycopg.Connection, session_id: int, starts_at: datetime,
                       ends_at: datetime, reason: str | None, moved_by: str,
                       now: datetime) -> dict[str, Any]:
    """Move the session (locked first); raise ``store.StoreError`` with the French reason."""
    session = store.get_session(conn, session_id, for_update=True)
    if session is None:
        raise store.NotFound(f"Session {session_id} introuvable.")
    refusal = move_refusal(session["status"], session["starts_at"], starts_at, ends_at, now)
    if refusal is not None:
        raise store.Conflict(refusal)
    if (starts_at, ends_at) == (session["starts_at"], session["ends_at"]):
        raise store.Conflict("La session a déjà ces dates.")
    reopen = registrations_close_at(
        starts_at, Decimal(session["registration_close_hours"])) > now
    conn.execute(
        "UPDATE sessions SET starts_at = %s, ends_at = %s, revision = revision + 1,"
        " registrations_closed_at = CASE WHEN %s THEN NULL ELSE registrations_closed_at END"
        " WHERE id = %s", (starts_at, ends_at, reopen, session_id))
    conn.execute(
        "INSERT INTO session_moves (session_id, from_starts_at, from_ends_at, to_starts_at,"
        " to_ends_at, reason, moved_by) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (session_id, session["starts_at"], session["ends_at"], starts_at, ends_at, reason,
         moved_by))
    moved = store.get_session(conn, session_id)
    people = store.session_people(conn, session_id)
    record_event(conn, Event(
        type="training.session_rescheduled", subject=f"session:{session_id}",
        producer=store.SERVICE,
        data={"session_id": session_id, "reason": reason,
              "module_code": moved["module_code"], "module_title": moved["module_title"],
              "previous_starts_at": session["starts_at"].isoformat(),
              "previous_ends_at": session["ends_at"].isoformat(),
              "starts_at": moved["starts_at"].isoformat(),
              "ends_at": moved["ends_at"].isoformat(),
              "place": moved["place"], "video_url": moved["video_url"],
              "trainer": moved["trainer"],
              "people": people,
              "structure_ids": sorted({p["structure_id"] for p in people}),
              "invitation_path": invitation_path(session_id),
              "ics": session_invitation(moved)},
    ))
    return moved


def session_moves(conn: psycopg.Connection, session_id: int) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT from_starts_at, from_ends_at, to_starts_at, to_ends_at, reason, moved_by,"
        " moved_at FROM session_moves WHERE session_id = %s ORDER BY id", (session_id,),
    ).fetchall()
