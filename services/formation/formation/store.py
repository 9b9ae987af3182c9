"""Formation's SQL: modules, sessions, registrations, written with their events.

Every change of a session's registrations (a registration, a cancellation and the promotions
it triggers, attendance) first locks the session row (``SELECT … FOR UPDATE``): registrations
of one session are thereby serialised, so the seat count read is the true one and the
waitlist order is the order in which the lock was obtained. The database checks the result
as well: ``sessions.confirmed_count`` (kept by a trigger) may never exceed ``capacity``.
Lock order is always session, then registration, so two operations never deadlock.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import psycopg

from centrale.events import Event
from centrale.outbox import record_event

from .domain import registrations as rules
from .domain.figures import ParticipantRecord, SessionRecord
from .invitations import invitation_path, session_invitation

SERVICE = "formation"

SESSION_COLUMNS = (
    "s.id, s.module_code, m.title AS module_title, m.objectives, m.duration_h, s.starts_at,"
    " s.ends_at, s.place, s.video_url, s.trainer, s.capacity, s.status, s.workflow_id,"
    " s.registration_close_hours, s.registrations_closed_at, s.cancel_reason,"
    " s.survey_requested_at, s.confirmed_count, s.revision,"
    " (SELECT count(*) FROM registrations w WHERE w.session_id = s.id"
    "  AND w.status = 'waitlisted') AS waitlisted_count"
)
SESSION_FROM = "sessions s JOIN modules m ON m.code = s.module_code"

REGISTRATION_COLUMNS = (
    "r.id, r.session_id, r.structure_id, r.person_name AS name, r.email, r.status,"
    " r.registered_by, r.created_at, r.confirmed_at, r.promoted_at, r.cancelled_at,"
    " r.attended, r.attended_hours, r.attendance_recorded_at, r.survey_score,"
    " r.survey_comment, r.surveyed_at,"
    " CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*) FROM registrations w"
    "  WHERE w.session_id = r.session_id AND w.status = 'waitlisted' AND w.id <= r.id)"
    " END AS waitlist_position"
)


class StoreError(Exception):
    """A refusal the API turns into a problem (404, 409 or 422 with field messages)."""

    status = 409

    def __init__(self, message: str, messages: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.messages = messages


class NotFound(StoreError):
    status = 404


class Conflict(StoreError):
    status = 409


class Invalid(StoreError):
    status = 422


# -- modules ----------------------------------------------------------------------------------


def upsert_module(conn: psycopg.Connection, code: str, title: str, objectives: str,
                  duration_h) -> None:
    conn.execute(
        "INSERT INTO modules (code, title, objectives, duration_h) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (code) DO UPDATE SET title = EXCLUDED.title,"
        " objectives = EXCLUDED.objectives, duration_h = EXCLUDED.duration_h",
        (code, title, objectives, duration_h),
    )


def list_modules(conn: psycopg.Connection) -> list[dict[str, Any]]:
    return conn.execute("SELECT code, title, objectives, duration_h FROM modules ORDER BY title"
                        ).fetchall()


# -- sessions ---------------------------------------------------------------------------------


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


def schedule_session(conn: psycopg.Connection, data: dict[str, Any]) -> dict[str, Any]:
    values = {"video_url": None, "registration_close_hours": rules.DEFAULT_CLOSE_HOURS, **data}
    row = conn.execute(
        "INSERT INTO sessions (module_code, starts_at, ends_at, place, trainer, capacity,"
        " video_url, registration_close_hours)"
        " VALUES (%(module_code)s, %(starts_at)s, %(ends_at)s, %(place)s, %(trainer)s,"
        " %(capacity)s, %(video_url)s, %(registration_close_hours)s) RETURNING id", values,
    ).fetchone()
    # Unique beyond this database's ids: a rebuilt database must not meet an old workflow.
    workflow_id = f"training-session-{row['id']}-{uuid.uuid4().hex[:12]}"
    conn.execute("UPDATE sessions SET workflow_id = %s WHERE id = %s", (workflow_id, row["id"]))
    session = get_session(conn, row["id"])
    record_event(conn, Event(
        type="training.session_scheduled", subject=f"session:{row['id']}", producer=SERVICE,
        data={"session_id": row["id"], "module_code": session["module_code"],
              "module_title": session["module_title"],
              "starts_at": session["starts_at"].isoformat(),
              "ends_at": session["ends_at"].isoformat(), "place": session["place"],
              "video_url": session["video_url"], "trainer": session["trainer"],
              "capacity": session["capacity"],
              "invitation_path": invitation_path(row["id"])},
    ))
    recommend_session(conn, session)
    return session


def recommend_session(conn: psycopg.Connection, session: dict[str, Any]) -> list[int]:
    """Tell each structure whose diagnosis recommended this module, and none of whose people
    has attended it yet, that a session is scheduled (``training.session_recommended``, one
    per structure, so notifications reaches its contacts). Returns those structures."""
    rows = conn.execute(
        "SELECT sr.structure_id, sr.case_ids FROM structure_recommendations sr"
        " WHERE sr.module_code = %s AND NOT EXISTS (SELECT 1 FROM registrations r"
        "   JOIN sessions s ON s.id = r.session_id WHERE r.structure_id = sr.structure_id"
        "   AND s.module_code = sr.module_code AND r.attended)"
        " ORDER BY sr.structure_id", (session["module_code"],)).fetchall()
    closes_at = rules.registrations_close_at(
        session["starts_at"], Decimal(session["registration_close_hours"]))
    for row in rows:
        record_event(conn, Event(
            type="training.session_recommended",
            subject=f"structure:{row['structure_id']}", producer=SERVICE,
            data={"structure_id": row["structure_id"], "session_id": session["id"],
                  "case_ids": list(row["case_ids"]), "module_code": session["module_code"],
                  "module_title": session["module_title"],
                  "starts_at": session["starts_at"].isoformat(),
                  "ends_at": session["ends_at"].isoformat(), "place": session["place"],
                  "video_url": session["video_url"], "trainer": session["trainer"],
                  "registrations_close_at": closes_at.astimezone(
                      session["starts_at"].tzinfo).isoformat()},
        ))
    return [row["structure_id"] for row in rows]


def get_session(conn: psycopg.Connection, session_id: int,
                for_update: bool = False) -> dict[str, Any] | None:
    lock = " FOR UPDATE OF s" if for_update else ""
    return conn.execute(f"SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.id = %s{lock}",
                        (session_id,)).fetchone()


def list_sessions(conn: psycopg.Connection, limit: int, offset: int,
                  module_code: str | None = None, upcoming: bool = False,
                  status: str | None = None) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {SESSION_COLUMNS} FROM {SESSION_FROM}"
        " WHERE (%(module)s::text IS NULL OR s.module_code = %(module)s)"
        " AND (NOT %(upcoming)s OR s.starts_at > now())"
        " AND (%(status)s::text IS NULL OR s.status = %(status)s)"
        " ORDER BY s.starts_at, s.id LIMIT %(limit)s OFFSET %(offset)s",
        {"module": module_code, "upcoming": upcoming, "status": status, "limit": limit,
         "offset": offset},
    ).fetchall()


def session_people(conn: psycopg.Connection, session_id: int) -> list[dict[str, Any]]:
    """Everyone registered or waitlisted, as events list them (to tell each of them)."""
    return conn.execute(
        "SELECT person_name AS name, email, structure_id, id AS registration_id, status"
        " FROM registrations WHERE session_id = %s AND status <> 'cancelled' ORDER BY id",
        (session_id,)).fetchall()


def close_session(conn: psycopg.Connection, session_id: int, status: str,
                  reason: str | None) -> bool:
    """Mark a session cancelled or held; False if it was already closed.

    A cancelled session tells everyone registered or waitlisted (``people``)."""
    row = conn.execute(
        "UPDATE sessions SET status = %s, cancel_reason = %s WHERE id = %s"
        " AND status = 'scheduled' RETURNING id",
        (status, reason if status == "cancelled" else None, session_id),
    ).fetchone()
    if row is None:
        return False
    if status == "cancelled":
        session = get_session(conn, session_id)
        people = session_people(conn, session_id)
        record_event(conn, Event(
            type="training.session_cancelled", subject=f"session:{session_id}",
            producer=SERVICE,
            data={"session_id": session_id, "reason": reason,
                  "module_code": session["module_code"],
                  "module_title": session["module_title"],
                  "starts_at": session["starts_at"].isoformat(),
                  "ends_at": session["ends_at"].isoformat(), "place": session["place"],
                  "people": people,
                  "structure_ids": sorted({p["structure_id"] for p in people}),
                  "invitation_path": invitation_path(session_id),
                  "ics": session_invitation(session)},
        ))
    return True


# -- registrations ----------------------------------------------------------------------------


def _registration_event(conn: psycopg.Connection, event_type: str, session: dict[str, Any],
                        registration: dict[str, Any], with_invitation: bool = False,
                        **extra: Any) -> None:
    data = {
        "session_id": session["id"],
        "registration_id": registration["id"],
        "structure_id": registration["structure_id"],
        "person": {"name": registration["name"], "email": registration["email"]},
        "module_code": session["module_code"],
        "module_title": session["module_title"],
        "starts_at": session["starts_at"].isoformat(),
        "ends_at": session["ends_at"].isoformat(),
        "place": session["place"],
        "video_url": session["video_url"],
        "trainer": session["trainer"],
        "invitation_path": invitation_path(session["id"]),
        **extra,
    }
    if with_invitation:
        data["ics"] = session_invitation(session)
    record_event(conn, Event(type=event_type, subject=f"registration:{registration['id']}",
                             producer=SERVICE, data=data))


def get_registration(conn: psycopg.Connection, registration_id: int) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {REGISTRATION_COLUMNS} FROM registrations r WHERE r.id = %s",
                        (registration_id,)).fetchone()


def list_registrations(conn: psycopg.Connection, session_id: int | None = None,
                       structure_id: int | None = None, status: str | None = None,
                       limit: int = 200, offset: int = 0) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {REGISTRATION_COLUMNS} FROM registrations r"
        " WHERE (%(session)s::bigint IS NULL OR r.session_id = %(session)s)"
        " AND (%(structure)s::bigint IS NULL OR r.structure_id = %(structure)s)"
        " AND (%(status)s::text IS NULL OR r.status = %(status)s)"
        " ORDER BY r.session_id, r.id LIMIT %(limit)s OFFSET %(offset)s",
        {"session": session_id, "structure": structure_id, "status": status, "limit": limit,
         "offset": offset},
    ).fetchall()


def _waitlist(conn: psycopg.Connection, session_id: int) -> list[int]:
    return [row["id"] for row in conn.execute(
        "SELECT id FROM registrations WHERE session_id = %s AND status = 'waitlisted'"
        " ORDER BY id", (session_id,)).fetchall()]


def register(conn: psycopg.Connection, session_id: int, person: dict[str, Any],
             registered_by: str, now: datetime) -> dict[str, Any]:
    """Give the person a seat or a place on the waitlist, under the session's lock."""
    session = get_session(conn, session_id, for_update=True)
    if session is None:
        raise NotFound(f"Session {session_id} introuvable.")
    facts = session_facts(session)
    refusal = rules.registration_refusal(facts, now)
    if refusal:
        raise Conflict(refusal)
    duplicate = conn.execute(
        "SELECT id FROM registrations WHERE session_id = %s AND lower(email) = lower(%s)"
        " AND status <> 'cancelled'", (session_id, person["email"])).fetchone()
    if duplicate:
        raise Conflict(f"{person['email']} est déjà inscrite ou inscrit à cette session "
                       f"(inscription {duplicate['id']}).")
    status = rules.admit(facts)
    row = conn.execute(
        "INSERT INTO registrations (session_id, structure_id, person_name, email, status,"
        " registered_by, confirmed_at) VALUES (%s, %s, %s, %s, %s, %s, %s) RETURNING id",
        (session_id, person["structure_id"], person["name"], person["email"], status.value,
         registered_by, now if status is rules.Status.CONFIRMED else None),
    ).fetchone()
    registration = get_registration(conn, row["id"])
    if status is rules.Status.CONFIRMED:
        _registration_event(conn, "training.registration_confirmed", session, registration,
                            with_invitation=True)
    else:
        _registration_event(conn, "training.waitlisted", session, registration,
                            waitlist_position=registration["waitlist_position"])
    return registration


def cancel_registration(conn: psycopg.Connection, registration_id: int, cancelled_by: str,
                        now: datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Cancel a registration; a freed seat goes to the head of the waitlist (while
    registrations are open). Return the cancelled registration and those promoted."""
    found = conn.execute("SELECT session_id FROM registrations WHERE id = %s",
                         (registration_id,)).fetchone()
    if found is None:
        raise NotFound(f"Inscription {registration_id} introuvable.")
    session = get_session(conn, found["session_id"], for_update=True)
    current = conn.execute("SELECT status FROM registrations WHERE id = %s FOR UPDATE",
                           (registration_id,)).fetchone()
    if current["status"] == rules.Status.CANCELLED:
        raise Conflict("Cette inscription est déjà annulée.")
    if session["status"] == rules.SessionStatus.CANCELLED:
        raise Conflict("Cette session a été annulée : les inscriptions le sont avec elle.")
    if session["status"] == rules.SessionStatus.HELD or now >= session["starts_at"]:
        raise Conflict("La session a commencé : l'inscription ne peut plus être annulée.")
    conn.execute(
        "UPDATE registrations SET status = 'cancelled', cancelled_at = %s, cancelled_by = %s"
        " WHERE id = %s", (now, cancelled_by, registration_id))
    cancelled = get_registration(conn, registration_id)
    _registration_event(conn, "training.registration_cancelled", session, cancelled,
                        previous_status=current["status"])
    promoted = promote_waitlist(conn, session["id"], now)
    return cancelled, promoted


def promote_waitlist(conn: psycopg.Connection, session_id: int,
                     now: datetime) -> list[dict[str, Any]]:
    """Hand the free seats to the head of the waitlist (the caller holds the session lock)."""
    session = get_session(conn, session_id, for_update=True)
    promoted = []
    for registration_id in rules.to_promote(session_facts(session), _waitlist(conn, session_id),
                                            now):
        conn.execute(
            "UPDATE registrations SET status = 'confirmed', promoted_at = %s, confirmed_at = %s"
            " WHERE id = %s AND status = 'waitlisted'", (now, now, registration_id))
        registration = get_registration(conn, registration_id)
        _registration_event(conn, "training.promoted", session, registration,
                            with_invitation=True)
        promoted.append(registration)
    return promoted


def record_attendance(conn: psycopg.Connection, session_id: int, entries: list[dict[str, Any]],
                      now: datetime) -> list[dict[str, Any]]:
    """Record (or correct) who attended; every entry names a confirmed registration of the
    session. Return the session's confirmed registrations."""
    session = get_session(conn, session_id, for_update=True)
    if session is None:
        raise NotFound(f"Session {session_id} introuvable.")
    refusal = rules.attendance_refusal(session_facts(session), now)
    if refusal:
        raise Conflict(refusal)
    confirmed = {row["id"] for row in conn.execute(
        "SELECT id FROM registrations WHERE session_id = %s AND status = 'confirmed'",
        (session_id,)).fetchall()}
    errors: dict[int, dict[str, list[str]]] = {}
    updates = []
    for index, entry in enumerate(entries):
        if entry["registration_id"] not in confirmed:
            errors[index] = {"registration_id": [
                "Aucune inscription confirmée de ce numéro pour cette session."]}
            continue
        try:
            hours = rules.attended_hours(entry["attended"], entry.get("hours"),
                                         Decimal(session["duration_h"]))
        except ValueError as exc:
            errors[index] = {"hours": [str(exc)]}
            continue
        updates.append((entry["attended"], hours, now, entry["registration_id"]))
    if errors:
        raise Invalid("Certaines lignes de la feuille de présence sont invalides.",
                      {"json": {"attendance": errors}})
    for values in updates:
        conn.execute("UPDATE registrations SET attended = %s, attended_hours = %s,"
                     " attendance_recorded_at = %s WHERE id = %s", values)
    return list_registrations(conn, session_id=session_id, status="confirmed", limit=10000)


def participant_facts(registration: dict[str, Any]) -> rules.ParticipantFacts:
    return rules.ParticipantFacts(status=registration["status"],
                                  attended=registration["attended"],
                                  survey_answered=registration["surveyed_at"] is not None)


def record_survey(conn: psycopg.Connection, registration_id: int, score: int,
                  comment: str | None, now: datetime) -> dict[str, Any]:
    found = conn.execute("SELECT session_id FROM registrations WHERE id = %s",
                         (registration_id,)).fetchone()
    if found is None:
        raise NotFound(f"Inscription {registration_id} introuvable.")
    session = get_session(conn, found["session_id"])
    conn.execute("SELECT 1 FROM registrations WHERE id = %s FOR UPDATE", (registration_id,))
    registration = get_registration(conn, registration_id)
    refusal = rules.survey_refusal(session_facts(session), participant_facts(registration), now)
    if refusal:
        raise Conflict(refusal)
    conn.execute("UPDATE registrations SET survey_score = %s, survey_comment = %s,"
                 " surveyed_at = %s WHERE id = %s AND surveyed_at IS NULL",
                 (score, comment, now, registration_id))
    return get_registration(conn, registration_id)


def certificate_data(conn: psycopg.Connection, registration_id: int) -> dict[str, Any] | None:
    return conn.execute(
        "SELECT r.id AS registration_id, r.structure_id, r.person_name, r.status, r.attended,"
        " r.attended_hours, r.surveyed_at, m.title AS module_title, m.objectives,"
        " s.starts_at, s.ends_at, s.place, s.trainer"
        f" FROM registrations r JOIN {SESSION_FROM} ON s.id = r.session_id WHERE r.id = %s",
        (registration_id,)).fetchone()


# -- what the session workflow does -----------------------------------------------------------


def send_reminders(conn: psycopg.Connection, session_id: int, days_before: int,
                   starts_at: datetime | None = None) -> int:
    """One ``training.reminder`` per confirmed person, once per session, start date and J-N.

    ``starts_at`` is the start the workflow planned for: a reminder planned for a date the
    session has since left is not sent (the workflow plans the new date's own)."""
    session = get_session(conn, session_id, for_update=True)
    if session is None or session["status"] != rules.SessionStatus.SCHEDULED:
        return 0
    if starts_at is not None and starts_at != session["starts_at"]:
        return 0
    claimed = conn.execute(
        "INSERT INTO session_reminders (session_id, starts_at, days_before, people)"
        " VALUES (%s, %s, %s, 0) ON CONFLICT DO NOTHING RETURNING session_id",
        (session_id, session["starts_at"], days_before)).fetchone()
    if claimed is None:
        return 0  # already sent (a retried activity)
    people = list_registrations(conn, session_id=session_id, status="confirmed", limit=10000)
    ics = session_invitation(session)
    for registration in people:
        _registration_event(conn, "training.reminder", session, registration,
                            days_before=days_before, ics=ics)
    conn.execute("UPDATE session_reminders SET people = %s WHERE session_id = %s"
                 " AND starts_at = %s AND days_before = %s",
                 (len(people), session_id, session["starts_at"], days_before))
    return len(people)


def close_registrations(conn: psycopg.Connection, session_id: int,
                        starts_at: datetime | None = None) -> bool:
    """Close registrations; the people still waitlisted are told they get no seat.

    ``starts_at``: the start the workflow closes them for; a session moved meanwhile keeps
    them open (the workflow closes them at the new date's time)."""
    row = conn.execute(
        "UPDATE sessions SET registrations_closed_at = now() WHERE id = %s"
        " AND status = 'scheduled' AND registrations_closed_at IS NULL"
        " AND (%s::timestamptz IS NULL OR starts_at = %s) RETURNING id",
        (session_id, starts_at, starts_at)).fetchone()
    if row is None:
        return False
    session = get_session(conn, session_id)
    waiting = list_registrations(conn, session_id=session_id, status="waitlisted", limit=10000)
    record_event(conn, Event(
        type="training.registrations_closed", subject=f"session:{session_id}", producer=SERVICE,
        data={"session_id": session_id, "module_title": session["module_title"],
              "starts_at": session["starts_at"].isoformat(),
              "confirmed": session["confirmed_count"], "waitlisted": len(waiting),
              "waitlisted_people": [{"name": r["name"], "email": r["email"],
                                     "structure_id": r["structure_id"],
                                     "registration_id": r["id"]} for r in waiting]},
    ))
    return True


def request_survey(conn: psycopg.Connection, session_id: int) -> int:
    """Ask each participant not recorded absent for the satisfaction survey, once."""
    row = conn.execute(
        "UPDATE sessions SET survey_requested_at = now() WHERE id = %s AND status = 'held'"
        " AND survey_requested_at IS NULL RETURNING id", (session_id,)).fetchone()
    if row is None:
        return 0
    session = get_session(conn, session_id)
    people = [r for r in list_registrations(conn, session_id=session_id, status="confirmed",
                                            limit=10000)
              if r["attended"] is not False and r["surveyed_at"] is None]
    for registration in people:
        _registration_event(
            conn, "training.survey_requested", session, registration,
            survey_path=f"/api/registrations/{registration['id']}/survey",
            certificate_path=(f"/api/registrations/{registration['id']}/certificate.pdf"
                              if registration["attended"] else None))
    return len(people)


# -- recommendations --------------------------------------------------------------------------


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


def upcoming_sessions(conn: psycopg.Connection, module_codes: list[str]) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {SESSION_COLUMNS} FROM {SESSION_FROM} WHERE s.module_code = ANY(%s)"
        " AND s.status = 'scheduled' AND s.starts_at > now() ORDER BY s.starts_at, s.id",
        (module_codes,)).fetchall()


# -- figures ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureQuery:
    start: date
    end: date
    structure_id: int | None = None


def figure_records(conn: psycopg.Connection, query: FigureQuery) -> list[SessionRecord]:
    """Sessions of the period (by their Paris start date) that are over or cancelled, with
    their confirmed participants (of one structure when asked)."""
    sessions = conn.execute(
        "SELECT s.id, s.module_code, m.title, m.duration_h, s.starts_at, s.status"
        f" FROM {SESSION_FROM}"
        " WHERE (s.starts_at AT TIME ZONE 'Europe/Paris')::date BETWEEN %(start)s AND %(end)s"
        " AND (s.status = 'cancelled' OR s.status = 'held' OR s.ends_at <= now())"
        " AND (%(structure)s::bigint IS NULL OR EXISTS (SELECT 1 FROM registrations x"
        "      WHERE x.session_id = s.id AND x.structure_id = %(structure)s"
        "      AND x.status = 'confirmed'))"
        " ORDER BY s.starts_at, s.id",
        {"start": query.start, "end": query.end, "structure": query.structure_id}).fetchall()
    if not sessions:
        return []
    participants: dict[int, list[ParticipantRecord]] = {}
    for row in conn.execute(
            "SELECT session_id, structure_id, attended, attended_hours, survey_score"
            " FROM registrations WHERE session_id = ANY(%(ids)s) AND status = 'confirmed'"
            " AND (%(structure)s::bigint IS NULL OR structure_id = %(structure)s)",
            {"ids": [s["id"] for s in sessions], "structure": query.structure_id}).fetchall():
        participants.setdefault(row["session_id"], []).append(ParticipantRecord(
            structure_id=row["structure_id"], attended=row["attended"],
            hours=row["attended_hours"], score=row["survey_score"]))
    return [SessionRecord(session_id=s["id"], module_code=s["module_code"],
                          module_title=s["title"], starts_at=s["starts_at"],
                          duration_h=Decimal(s["duration_h"]),
                          cancelled=s["status"] == "cancelled",
                          participants=tuple(participants.get(s["id"], ())))
            for s in sessions]
