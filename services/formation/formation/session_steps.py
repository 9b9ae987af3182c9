"""What the session workflow's activities do, each once only (a retried activity finds its
step claimed): the J-N reminders with the invitation, closing registrations (the people still
waitlisted are told they get no seat), asking for the satisfaction survey."""

from __future__ import annotations

from datetime import datetime, timezone

import psycopg

from .domain import registrations as rules
from .domain.invitation import session_invitation
from .events import record
from .registrations import tell
from .store import registrations as registration_store
from .store import sessions as session_store
from .store import steps


def send_reminders(conn: psycopg.Connection, session_id: int, days_before: int,
                   starts_at: datetime | None = None) -> int:
    """One ``training.reminder`` per confirmed person, once per session, start date and J-N.

    ``starts_at`` is the start the workflow planned for: a reminder planned for a date the
    session has since left is not sent (the workflow plans the new date's own)."""
    session = session_store.get_session(conn, session_id, for_update=True)
    if session is None or session["status"] != rules.SessionStatus.SCHEDULED:
        return 0
    if starts_at is not None and starts_at != session["starts_at"]:
        return 0
    if not steps.claim_reminder(conn, session_id, session["starts_at"], days_before):
        return 0  # already sent (a retried activity)
    people = registration_store.list_registrations(conn, session_id=session_id,
                                                   status="confirmed", limit=10000)
    ics = session_invitation(session, datetime.now(timezone.utc))
    for registration in people:
        tell(conn, "training.reminder", session, registration, days_before=days_before, ics=ics)
    steps.count_reminded(conn, session_id, session["starts_at"], days_before, len(people))
    return len(people)


def close_registrations(conn: psycopg.Connection, session_id: int,
                        starts_at: datetime | None = None) -> bool:
    """Close registrations; the people still waitlisted are told they get no seat.

    ``starts_at``: the start the workflow closes them for; a session moved meanwhile keeps
    them open (the workflow closes them at the new date's time)."""
    if not steps.claim_closing(conn, session_id, starts_at):
        return False
    session = session_store.get_session(conn, session_id)
    waiting = registration_store.list_registrations(conn, session_id=session_id,
                                                    status="waitlisted", limit=10000)
    record(conn, "training.registrations_closed", f"session:{session_id}",
           {"session_id": session_id, "module_title": session["module_title"],
            "starts_at": session["starts_at"].isoformat(),
            "confirmed": session["confirmed_count"], "waitlisted": len(waiting),
            "waitlisted_people": [{"name": r["name"], "email": r["email"],
                                   "structure_id": r["structure_id"],
                                   "registration_id": r["id"]} for r in waiting]})
    return True


def request_survey(conn: psycopg.Connection, session_id: int) -> int:
    """Ask each participant not recorded absent for the satisfaction survey, once."""
    if not steps.claim_survey(conn, session_id):
        return 0
    session = session_store.get_session(conn, session_id)
    people = [r for r in registration_store.list_registrations(
                  conn, session_id=session_id, status="confirmed", limit=10000)
              if r["attended"] is not False and r["surveyed_at"] is None]
    for registration in people:
        tell(conn, "training.survey_requested", session, registration,
             survey_path=f"/api/registrations/{registration['id']}/survey",
             certificate_path=(f"/api/registrations/{registration['id']}/certificate.pdf"
                               if registration["attended"] else None))
    return len(people)
