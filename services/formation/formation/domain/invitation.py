"""The calendar invitation of a session (RFC 5545), in Europe/Paris with its VTIMEZONE.

Pure: built from the session's facts (never inside SQL), with icalendar (a pure library, as
notifications' domain uses); the API serves it and the events carry it.

The VTIMEZONE is written with the EU rules (last Sunday of March and of October) rather than
the list of dates icalendar derives from the tz database, which stops in 2037 and weighs
3 kB: calendars (Outlook, Google, Thunderbird) read this form and it never runs out.
The UID comes from the session's workflow id, unique even across rebuilt databases, so a
moved session's invitation (SEQUENCE: the session's revision, one more at each move) and a
cancelled session's (STATUS:CANCELLED, one more again) replace the earlier one in a person's
calendar.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from centrale.french import PARIS, hours, time_span

PRODID = "-//Centrale des Marchés Solidaires//Formation//FR"
UID_DOMAIN = "formation.centrale-marches-solidaires.fr"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def paris_vtimezone() -> Timezone:
    tz = Timezone()
    tz.add("tzid", "Europe/Paris")
    tz.add("x-lic-location", "Europe/Paris")
    summer = TimezoneDaylight()
    summer.add("tzname", "CEST")
    summer.add("tzoffsetfrom", _offset(1))
    summer.add("tzoffsetto", _offset(2))
    summer.add("dtstart", datetime(1970, 3, 29, 2, 0, 0))
    summer.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    winter = TimezoneStandard()
    winter.add("tzname", "CET")
    winter.add("tzoffsetfrom", _offset(2))
    winter.add("tzoffsetto", _offset(1))
    winter.add("dtstart", datetime(1970, 10, 25, 3, 0, 0))
    winter.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(summer)
    tz.add_component(winter)
    return tz


def _offset(hours_: int) -> timedelta:
    return timedelta(hours=hours_)


def invitation_path(session_id: int) -> str:
    """Where the API serves the invitation (GET, bearer token)."""
    return f"/api/sessions/{session_id}/invitation.ics"


def session_invitation(session: dict[str, Any], stamp: datetime) -> str:
    """The invitation of one session as iCalendar text (CRLF line ends, folded lines);
    ``stamp`` (aware) is when it is issued (DTSTAMP)."""
    cancelled = session["status"] == "cancelled"
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add_component(paris_vtimezone())

    event = Event()
    event.add("uid", f"{session['workflow_id'] or 'session-' + str(session['id'])}@{UID_DOMAIN}")
    event.add("dtstamp", stamp.astimezone(timezone.utc))
    event.add("dtstart", session["starts_at"].astimezone(PARIS))
    event.add("dtend", session["ends_at"].astimezone(PARIS))
    event.add("summary", f"Formation : {session['module_title']}")
    location = session["place"]
    if session.get("video_url") and session["video_url"] not in location:
        location = f"{location} — {session['video_url']}"
    event.add("location", location)
    if session.get("video_url"):
        event.add("url", session["video_url"])
    lines = [f"Formation « {session['module_title']} » de la Centrale des Marchés Solidaires,",
             f"{time_span(session['starts_at'], session['ends_at'])}."]
    if session.get("duration_h"):
        lines.append(f"Durée de formation : {hours(session['duration_h'])}.")
    lines.append(f"Lieu : {session['place']}.")
    if session.get("video_url"):
        lines.append(f"Lien de connexion : {session['video_url']}")
    lines.append(f"Formateur ou formatrice : {session['trainer']}.")
    if session.get("objectives"):
        lines.append(f"Objectifs : {session['objectives']}")
    if cancelled:
        lines.insert(0, "SESSION ANNULÉE"
                     + (f" : {session['cancel_reason']}." if session.get("cancel_reason") else "."))
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("sequence", session.get("revision", 0) + (1 if cancelled else 0))
    event.add("transp", "OPAQUE")
    calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")
