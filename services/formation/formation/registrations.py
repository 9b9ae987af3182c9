"""What happens to a registration: a seat or the waitlist, a cancellation and the promotions
it triggers, attendance, the survey — each under its session's lock, with its event.
Refusals are ``centrale.refusals`` (the API's edge answers 404, 409 or 422)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

import psycopg

from centrale.refusals import Invalid, NotFound, Refused

from .domain import registrations as rules
from .domain.session_events import registration_data
from .events import record
from .sessions import existing, session_facts
from .store import registrations as store
from .store import structures
from .store import sessions as session_store


def tell(conn: psycopg.Connection, event_type: str, session: dict[str, Any],
         registration: dict[str, Any], invitation_at: datetime | None = None,
         **extra: Any) -> None:
    record(conn, event_type, f"registration:{registration['id']}",
           registration_data(session, registration, invitation_at, **extra))


def participant_facts(registration: dict[str, Any]) -> rules.ParticipantFacts:
    return rules.ParticipantFacts(status=registration["status"],
                                  attended=registration["attended"],
                                  survey_answered=registration["surveyed_at"] is not None)


def register(conn: psycopg.Connection, session_id: int, person: dict[str, Any],
             registered_by: str, now: datetime) -> dict[str, Any]:
    """Give the person a seat or a place on the waitlist, under the session's lock. The
    person's structure must be one of the registry's (formation's copy of it)."""
    session = existing(conn, session_id, for_update=True)
    if not structures.is_known(conn, person["structure_id"]):
        message = (f"La structure {person['structure_id']} n'est pas inscrite au registre des "
                   "structures : inscrivez-la d'abord.")
        raise Invalid(message, {"json": {"structure_id": [message]}})
    facts = session_facts(session)
    refusal = rules.registration_refusal(facts, now)
    if refusal:
        raise Refused(refusal)
    duplicate = store.active_registration_of(conn, session_id, person["email"])
    if duplicate:
        raise Refused(f"{person['email']} est déjà inscrite ou inscrit à cette session "
                      f"(inscription {duplicate}).")
    status = rules.admit(facts)
    confirmed = status is rules.Status.CONFIRMED
    registration = store.get_registration(conn, store.insert_registration(
        conn, session_id, person, status.value, registered_by, now if confirmed else None))
    if confirmed:
        tell(conn, "training.registration_confirmed", session, registration, invitation_at=now)
    else:
        tell(conn, "training.waitlisted", session, registration,
             waitlist_position=registration["waitlist_position"])
    return registration


def cancel_registration(conn: psycopg.Connection, registration_id: int, cancelled_by: str,
                        now: datetime) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Cancel a registration; a freed seat goes to the head of the waitlist (while
    registrations are open). Return the cancelled registration and those promoted."""
    session_id = store.session_of(conn, registration_id)
    if session_id is None:
        raise NotFound(f"Inscription {registration_id} introuvable.")
    session = session_store.get_session(conn, session_id, for_update=True)
    previous = store.lock_status(conn, registration_id)
    if previous == rules.Status.CANCELLED:
        raise Refused("Cette inscription est déjà annulée.")
    if session["status"] == rules.SessionStatus.CANCELLED:
        raise Refused("Cette session a été annulée : les inscriptions le sont avec elle.")
    if session["status"] == rules.SessionStatus.HELD or now >= session["starts_at"]:
        raise Refused("La session a commencé : l'inscription ne peut plus être annulée.")
    store.mark_cancelled(conn, registration_id, cancelled_by, now)
    cancelled = store.get_registration(conn, registration_id)
    tell(conn, "training.registration_cancelled", session, cancelled, previous_status=previous)
    return cancelled, promote_waitlist(conn, session_id, now)


def promote_waitlist(conn: psycopg.Connection, session_id: int,
                     now: datetime) -> list[dict[str, Any]]:
    """Hand the free seats to the head of the waitlist (the caller holds the session lock)."""
    session = session_store.get_session(conn, session_id, for_update=True)
    promoted = []
    for registration_id in rules.to_promote(session_facts(session),
                                            store.waitlist(conn, session_id), now):
        store.mark_promoted(conn, registration_id, now)
        registration = store.get_registration(conn, registration_id)
        tell(conn, "training.promoted", session, registration, invitation_at=now)
        promoted.append(registration)
    return promoted


def record_attendance(conn: psycopg.Connection, session_id: int, entries: list[dict[str, Any]],
                      now: datetime) -> list[dict[str, Any]]:
    """Record (or correct) who attended; every entry names a confirmed registration of the
    session. Return the session's confirmed registrations."""
    session = existing(conn, session_id, for_update=True)
    refusal = rules.attendance_refusal(session_facts(session), now)
    if refusal:
        raise Refused(refusal)
    confirmed = store.confirmed_ids(conn, session_id)
    errors: dict[int, dict[str, list[str]]] = {}
    rows = []
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
        rows.append((entry["attended"], hours, now, entry["registration_id"]))
    if errors:
        raise Invalid("Certaines lignes de la feuille de présence sont invalides.",
                      {"json": {"attendance": errors}})
    store.save_attendance(conn, rows)
    return store.list_registrations(conn, session_id=session_id, status="confirmed",
                                    limit=10000)


def record_survey(conn: psycopg.Connection, registration_id: int, score: int,
                  comment: str | None, now: datetime) -> dict[str, Any]:
    session_id = store.session_of(conn, registration_id)
    if session_id is None:
        raise NotFound(f"Inscription {registration_id} introuvable.")
    session = session_store.get_session(conn, session_id)
    store.lock_registration(conn, registration_id)
    registration = store.get_registration(conn, registration_id)
    refusal = rules.survey_refusal(session_facts(session), participant_facts(registration), now)
    if refusal:
        raise Refused(refusal)
    store.save_survey(conn, registration_id, score, comment, now)
    return store.get_registration(conn, registration_id)
