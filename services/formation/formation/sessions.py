"""What happens to a session: scheduled (and proposed to the structures it was recommended
to), cancelled or held, moved to other dates — each change with its event.

Moving keeps the registrations and waitlist. Registrations closed for the old date open again
when the new date's closing is still ahead (the workflow closes them again then). The event
carries everyone registered or waitlisted, the old and the new dates and the new invitation
(same UID, a higher SEQUENCE), so that notifications tells each person and moves the session
in their calendar. Refusals are ``centrale.refusals`` (the API's edge answers 404 or 409).
"""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal
from typing import Any

import psycopg

from centrale.refusals import NotFound, Refused

from .domain import registrations as rules
from .domain.invitation import invitation_path, session_invitation
from .domain.schedule import move_refusal
from .domain.session_events import people_fields, session_fields
from .events import record
from .store import recommendations as recommendation_store
from .store import sessions as store


def session_facts(session: dict[str, Any]) -> rules.SessionFacts:
    return rules.SessionFacts(
        status=session["status"], starts_at=session["starts_at"], ends_at=session["ends_at"],
        capacity=session["capacity"], confirmed=session["confirmed_count"],
        close_hours=Decimal(session["registration_close_hours"]),
        registrations_closed_at=session["registrations_closed_at"])


def with_derived(session: dict[str, Any] | None, now: datetime) -> dict[str, Any] | None:
    """The session with what the rules derive: seats left, whether registrations are open."""
    if session is None:
        return None
    facts = session_facts(session)
    session["seats_left"] = rules.seats_left(facts)
    session["registrations_close_at"] = rules.registrations_close_at(
        session["starts_at"], facts.close_hours).astimezone(session["starts_at"].tzinfo)
    session["registrations_open"] = rules.registration_refusal(facts, now) is None
    session["invitation_path"] = invitation_path(session["id"])
    return session


def existing(conn: psycopg.Connection, session_id: int,
             for_update: bool = False) -> dict[str, Any]:
    session = store.get_session(conn, session_id, for_update=for_update)
    if session is None:
        raise NotFound(f"Session {session_id} introuvable.")
    return session


def schedule_session(conn: psycopg.Connection, data: dict[str, Any]) -> dict[str, Any]:
    values = {"video_url": None, "registration_close_hours": rules.DEFAULT_CLOSE_HOURS, **data}
    session = store.get_session(conn, store.insert_session(conn, values))
    record(conn, "training.session_scheduled", f"session:{session['id']}",
           {**session_fields(session), "capacity": session["capacity"]})
    recommend_session(conn, session)
    return session


def recommend_session(conn: psycopg.Connection, session: dict[str, Any]) -> list[int]:
    """Tell each structure whose diagnosis recommended this module, and none of whose people
    has attended it yet, that a session is scheduled (``training.session_recommended``, one
    per structure, so notifications reaches its contacts). Returns those structures."""
    rows = recommendation_store.structures_to_tell(conn, session["module_code"])
    closes_at = rules.registrations_close_at(
        session["starts_at"], Decimal(session["registration_close_hours"]))
    for row in rows:
        record(conn, "training.session_recommended", f"structure:{row['structure_id']}",
               {**session_fields(session), "structure_id": row["structure_id"],
                "case_ids": list(row["case_ids"]),
                "registrations_close_at": closes_at.astimezone(
                    session["starts_at"].tzinfo).isoformat()})
    return [row["structure_id"] for row in rows]


def close_session(conn: psycopg.Connection, session_id: int, status: str,
                  reason: str | None) -> bool:
    """Mark a session cancelled or held; False if it was already closed.

    A cancelled session tells everyone registered or waitlisted (``people``)."""
    if not store.close_session(conn, session_id, status, reason):
        return False
    if status == "cancelled":
        session = store.get_session(conn, session_id)
        record(conn, "training.session_cancelled", f"session:{session_id}",
               {**session_fields(session), "reason": reason,
                **people_fields(store.session_people(conn, session_id)),
                "ics": session_invitation(session, datetime.now(timezone.utc))})
    return True


def reschedule_session(conn: psycopg.Connection, session_id: int, starts_at: datetime,
                       ends_at: datetime, reason: str | None, moved_by: str,
                       now: datetime) -> dict[str, Any]:
    """Move the session (locked first); refused (NotFound, Refused) with the French reason."""
    session = existing(conn, session_id, for_update=True)
    refusal = move_refusal(session["status"], session["starts_at"], starts_at, ends_at, now)
    if refusal is not None:
        raise Refused(refusal)
    if (starts_at, ends_at) == (session["starts_at"], session["ends_at"]):
        raise Refused("La session a déjà ces dates.")
    reopen = rules.registrations_close_at(
        starts_at, Decimal(session["registration_close_hours"])) > now
    store.move_session(conn, session, starts_at, ends_at, reopen, reason, moved_by)
    moved = store.get_session(conn, session_id)
    record(conn, "training.session_rescheduled", f"session:{session_id}",
           {**session_fields(moved), "reason": reason,
            "previous_starts_at": session["starts_at"].isoformat(),
            "previous_ends_at": session["ends_at"].isoformat(),
            **people_fields(store.session_people(conn, session_id)),
            "ics": session_invitation(moved, now)})
    return moved
