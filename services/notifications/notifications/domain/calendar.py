"""A structure's calendar: its deadlines (from case events) and its trainings (from
registration events), as iCalendar with the Europe/Paris VTIMEZONE.

Each entry has a stable UID, so a calendar application subscribed to the feed moves an entry
when a deadline moves instead of adding a second one; a cancelled session or an abandoned case
stays in the feed as ``STATUS:CANCELLED`` so subscribers see the cancellation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from icalendar import Calendar, Event

from centrale.french import PARIS, long_datetime, parse_instant, quoted

UID_DOMAIN = "centrale-marches-solidaires"
CONFIRMED, TENTATIVE, CANCELLED = "CONFIRMED", "TENTATIVE", "CANCELLED"

DEADLINE_EVENTS = ("case.opened", "case.deadline_changed", "case.deadline_reminder",
                   "case.deadline_missed", "case.deposit_unconfirmed")
REGISTRATION_EVENTS = {"training.registration_confirmed": CONFIRMED,
                       "training.promoted": CONFIRMED, "training.reminder": CONFIRMED,
                       "training.waitlisted": TENTATIVE,
                       "training.registration_cancelled": CANCELLED}


@dataclass(frozen=True)
class Entry:
    structure_id: int
    uid: str
    category: str  # "echeance" | "formation"
    summary: str
    description: str
    starts_at: datetime
    ends_at: datetime | None = None
    location: str | None = None
    status: str = CONFIRMED
    case_id: int | None = None
    session_id: int | None = None
    sequence: int = 0
    updated_at: datetime | None = None


@dataclass(frozen=True)
class CancelSession:
    session_id: int


@dataclass(frozen=True)
class CancelCase:
    case_id: int


@dataclass(frozen=True)
class CancelEntry:
    uid: str


Change = Entry | CancelSession | CancelCase | CancelEntry


def deadline_uid(case_id: int) -> str:
    return f"dossier-{case_id}-echeance@{UID_DOMAIN}"


def registration_uid(registration_id: int) -> str:
    return f"inscription-{registration_id}@{UID_DOMAIN}"


def changes_for(event_type: str, data: Mapping[str, Any]) -> list[Change]:
    """How an event changes the calendars (nothing for most events)."""
    if event_type in DEADLINE_EVENTS:
        deadline = parse_instant(data.get("deadline"))
        if deadline is None or data.get("structure_id") is None:
            return []
        title = data["title"]
        return [Entry(
            structure_id=data["structure_id"], uid=deadline_uid(data["case_id"]),
            category="echeance", summary=f"Date limite : {title}",
            description=(f"Dépôt de la réponse à {quoted(title)} (dossier n° {data['case_id']}) "
                         f"au plus tard le {long_datetime(deadline)}."),
            starts_at=deadline, ends_at=deadline, case_id=data["case_id"])]
    if event_type == "case.stage_changed" and data.get("to") == "abandoned":
        return [CancelCase(data["case_id"])]
    if event_type in REGISTRATION_EVENTS:
        entry = _training_entry(data, data["structure_id"], data["registration_id"],
                                (data.get("person") or {}).get("name"),
                                REGISTRATION_EVENTS[event_type])
        return [entry] if entry is not None else []
    if event_type == "training.session_rescheduled":
        # Each registration's entry moves (same UID); a waitlisted person's stays tentative.
        entries = (_training_entry(data, p["structure_id"], p["registration_id"], p.get("name"),
                                   TENTATIVE if p.get("status") == "waitlisted" else CONFIRMED)
                   for p in data.get("people") or ()
                   if p.get("structure_id") is not None and p.get("registration_id") is not None)
        return [entry for entry in entries if entry is not None]
    if event_type == "training.session_cancelled":
        return [CancelSession(data["session_id"])]
    if event_type == "training.registrations_closed":
        # the people still waitlisted get no seat
        return [CancelEntry(registration_uid(p["registration_id"]))
                for p in data.get("waitlisted_people") or () if p.get("registration_id")]
    return []


def _training_entry(data: Mapping[str, Any], structure_id: int, registration_id: int,
                    person: str | None, status: str) -> Entry | None:
    starts = parse_instant(data["starts_at"])
    if starts is None:
        return None
    summary = f"Formation : {data['module_title']}" + (f" ({person})" if person else "")
    description = f"Session de formation {quoted(data['module_title'])}, {data['place']}."
    if status == TENTATIVE:
        description += " Inscription en liste d'attente."
    elif status == CANCELLED:
        description += " Inscription annulée."
    return Entry(
        structure_id=structure_id, uid=registration_uid(registration_id), category="formation",
        summary=summary, description=description, starts_at=starts,
        ends_at=parse_instant(data.get("ends_at")), location=data.get("place"), status=status,
        session_id=data["session_id"])


def build_ics(name: str, entries: Iterable[Entry], generated_at: datetime,
              method: str | None = None) -> bytes:
    """The iCalendar text of ``entries``: times in Europe/Paris with its VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", "-//Centrale des Marchés Solidaires//notifications//FR")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    stamp = generated_at.astimezone(timezone.utc)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.starts_at.astimezone(PARIS))
        if entry.ends_at is not None:
            event.add("dtend", entry.ends_at.astimezone(PARIS))
        event.add("summary", entry.summary)
        event.add("description", entry.description)
        if entry.location:
            event.add("location", entry.location)
        event.add("status", entry.status)
        event.add("sequence", entry.sequence)
        event.add("categories", [entry.category])
        if entry.updated_at is not None:
            event.add("last-modified", entry.updated_at.astimezone(timezone.utc))
        event.add("transp", "TRANSPARENT" if entry.category == "echeance" else "OPAQUE")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
