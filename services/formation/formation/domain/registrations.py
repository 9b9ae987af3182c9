"""Seats, waitlists and what may be recorded when.

Rules:
- a session has ``capacity`` seats; a registration takes a free seat (``confirmed``) or joins
  the waitlist (``waitlisted``) — never more confirmed people than seats;
- the waitlist is first come, first served: its order is the order in which registrations
  were accepted (the store serialises registrations of one session, so that order is total);
- a seat handed back (a cancellation) goes to the head of the waitlist, as long as
  registrations are open: once they close (``close_hours`` before the start, 24 h by default)
  the list of participants is final and the waitlist is frozen — someone told a few hours
  before a session that a seat is free rarely comes, and the trainer prepares for the list;
- registrations are open while the session is scheduled, not closed by its workflow and
  before ``starts_at - close_hours``;
- attendance is recorded from the session's start (the sheet is filled in during the day),
  never for a cancelled session; it may be corrected;
- the satisfaction survey is answered once per registration, after the session's end, by a
  confirmed participant not recorded absent;
- a certificate is issued to a participant recorded present.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum

from centrale.french import long_datetime

DEFAULT_CLOSE_HOURS = Decimal("24")


class Status(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    CANCELLED = "cancelled"


class SessionStatus(StrEnum):
    SCHEDULED = "scheduled"
    CANCELLED = "cancelled"
    HELD = "held"


@dataclass(frozen=True)
class SessionFacts:
    status: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    confirmed: int
    close_hours: Decimal = DEFAULT_CLOSE_HOURS
    registrations_closed_at: datetime | None = None


def _aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware")


def registrations_close_at(starts_at: datetime, close_hours: Decimal | float | int) -> datetime:
    """The instant (UTC) registrations close: ``close_hours`` real hours before the start."""
    _aware(starts_at, "starts_at")
    hours = Decimal(str(close_hours))
    if hours < 0:
        raise ValueError("close_hours must be >= 0")
    return (starts_at - timedelta(seconds=float(hours * 3600))).astimezone(timezone.utc)


def registration_refusal(session: SessionFacts, now: datetime) -> str | None:
    """Why nobody may register now (French), or None when registrations are open."""
    _aware(now, "now")
    if session.status == SessionStatus.CANCELLED:
        return "Cette session a été annulée."
    if session.status == SessionStatus.HELD or now >= session.starts_at:
        return "Cette session a déjà eu lieu."
    closes_at = registrations_close_at(session.starts_at, session.close_hours)
    if session.registrations_closed_at is not None or now >= closes_at:
        return f"Les inscriptions sont closes depuis le {long_datetime(closes_at)}."
    return None


def seats_left(session: SessionFacts) -> int:
    return max(0, session.capacity - session.confirmed)


def admit(session: SessionFacts) -> Status:
    """A free seat confirms the registration; otherwise it joins the waitlist."""
    return Status.CONFIRMED if session.confirmed < session.capacity else Status.WAITLISTED


def waitlist_position(waitlist: Sequence[int], registration_id: int) -> int:
    """1 for the head of the waitlist (``waitlist`` in the order registrations arrived)."""
    return list(waitlist).index(registration_id) + 1


def to_promote(session: SessionFacts, waitlist: Sequence[int], now: datetime) -> list[int]:
    """The waitlisted registrations that take the free seats, head of the list first;
    none once registrations have closed (the waitlist is then frozen)."""
    if registration_refusal(session, now) is not None:
        return []
    return list(waitlist[: seats_left(session)])


def attendance_refusal(session: SessionFacts, now: datetime) -> str | None:
    _aware(now, "now")
    if session.status == SessionStatus.CANCELLED:
        return "Cette session a été annulée : aucune présence à enregistrer."
    if now < session.starts_at:
        return "La présence s'enregistre à partir du début de la session."
    return None


def attended_hours(attended: bool, hours: Decimal | None, planned: Decimal) -> Decimal | None:
    """The hours a person attended: the module's duration unless fewer are given (someone
    who left at noon); none for an absent person. Raise ValueError (French) otherwise."""
    if not attended:
        if hours not in (None, Decimal(0)):
            raise ValueError("Une personne absente ne peut pas avoir d'heures de présence.")
        return None
    if hours is None:
        return Decimal(planned)
    if hours <= 0 or hours > planned:
        raise ValueError(f"Les heures de présence doivent être comprises entre 0 et {planned}.")
    return Decimal(hours)


@dataclass(frozen=True)
class ParticipantFacts:
    status: str
    attended: bool | None
    survey_answered: bool


def survey_refusal(session: SessionFacts, person: ParticipantFacts, now: datetime) -> str | None:
    _aware(now, "now")
    if person.status != Status.CONFIRMED:
        return "Seules les personnes inscrites (place confirmée) répondent au questionnaire."
    if session.status == SessionStatus.CANCELLED:
        return "Cette session a été annulée."
    if now < session.ends_at:
        return "Le questionnaire de satisfaction s'ouvre à la fin de la session."
    if person.attended is False:
        return "Cette personne a été notée absente : pas de questionnaire de satisfaction."
    if person.survey_answered:
        return "Le questionnaire a déjà été rempli pour cette inscription."
    return None


def certificate_refusal(person: ParticipantFacts) -> str | None:
    if person.status != Status.CONFIRMED or person.attended is not True:
        return "Aucune présence enregistrée pour cette inscription : pas d'attestation."
    return None
