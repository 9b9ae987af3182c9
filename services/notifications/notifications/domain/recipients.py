"""Who is told about an event.

Notifications keeps its own directory, built from events: the structures and their contacts
(``structure.registered`` / ``structure.updated``), the cases (structure, title, advisor) and
the consortium invitations. The adapter looks up what an event refers to (:func:`references`)
and passes it here as a :class:`Directory`; :func:`route` then says who gets the notification.

- a structure's contacts: everything about the structure's tenders, cases and consortia;
- the case's advisor (``advisor`` in case events, or the one the case was opened with);
- the person of a training registration (``person``); everyone of a cancelled session
  (``people``); the people left on the waitlist when registrations close;
- an idle case is escalated to its advisor only (an internal alert); a case without an
  advisor, to the territory's admins (``CENTRALE_NOTIFICATIONS_ADMINS``);
- a buyer's need: its buyer (the address in the event) when it is validated, sent back or
  answered; the admins when it waits for review; each structure that answered, its own
  outcome when the buyer decides.

A person is their email address, compared without case. Someone reached twice (a contact who
is also the advisor) is told once, as the first role found (contacts come first).

When the structure an event is about is not in the directory yet (its ``structure.registered``
has not arrived: events of different producers are not ordered), the event is routed to
whoever is known now and *parked* for that structure; when the structure arrives, the parked
event is routed again — the notifications already recorded are not repeated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    CONTACT = "contact"
    ADVISOR = "conseiller"
    PARTICIPANT = "participant"
    INVITEE = "invite"  # someone invited to create their account
    ADMIN = "admin"
    VISITOR = "visiteur"  # someone whose address is being checked (no account yet)
    BUYER = "acheteur"  # the buyer who posted a need (no structure's contact)


@dataclass(frozen=True)
class Person:
    email: str
    name: str | None = None


@dataclass(frozen=True)
class Recipient:
    email: str
    name: str | None
    role: Role


@dataclass(frozen=True)
class StructureCard:
    structure_id: int
    name: str
    contacts: tuple[Person, ...] = ()


@dataclass(frozen=True)
class CaseCard:
    case_id: int
    structure_id: int | None = None
    title: str | None = None
    advisor: Person | None = None


@dataclass(frozen=True)
class Invitation:
    case_id: int
    structure_id: int
    lead_structure_id: int
    title: str | None = None


@dataclass(frozen=True)
class Directory:
    structures: Mapping[int, StructureCard] = field(default_factory=dict)
    cases: Mapping[int, CaseCard] = field(default_factory=dict)
    invitations: Mapping[tuple[int, int], Invitation] = field(default_factory=dict)
    # Who answers for the territory when a case has no advisor.
    admins: tuple[Person, ...] = ()

    def structure_name(self, structure_id: int | None) -> str:
        card = self.structures.get(structure_id) if structure_id is not None else None
        if card is not None:
            return card.name
        return f"la structure n° {structure_id}" if structure_id is not None else "la structure"

    def case_title(self, case_id: int, given: str | None = None) -> str:
        if given:
            return given
        card = self.cases.get(case_id)
        if card is not None and card.title:
            return card.title
        return f"dossier n° {case_id}"


@dataclass(frozen=True)
class References:
    structure_ids: frozenset[int]
    case_ids: frozenset[int]
    invitations: frozenset[tuple[int, int]]


@dataclass(frozen=True)
class Routing:
    recipients: tuple[Recipient, ...]
    # Structures the event is about that the directory does not know yet: park the event.
    missing_structures: tuple[int, ...] = ()


def normalize_email(email: str) -> str:
    return email.strip().lower()


def person_from(data: Mapping[str, Any] | None) -> Person | None:
    if not data or not data.get("email"):
        return None
    return Person(normalize_email(data["email"]), data.get("name") or None)


def references(event_type: str, data: Mapping[str, Any]) -> References:
    """What the adapter must look up in the directory before routing this event."""
    structures = {data[k] for k in ("structure_id", "lead_structure_id") if data.get(k) is not None}
    cases = {data["case_id"]} if data.get("case_id") is not None else set()
    invitations = set()
    if event_type == "consortium.answered":
        invitations.add((data["case_id"], data["structure_id"]))
    return References(frozenset(structures), frozenset(cases), frozenset(invitations))


# Training events for a structure's contacts (a session of a module recommended to it).
STRUCTURE_TRAINING_EVENTS = ("training.session_recommended",)


def for_participants(event_type: str) -> bool:
    """Training events go to the people registered, not to a structure's contacts."""
    return event_type.startswith("training.") and event_type not in STRUCTURE_TRAINING_EVENTS


# Events about several structures at once: each structure named is told as if the event were
# its own (``structure_views``).
FAN_OUT_EVENTS = ("tender.awarded", "tender.cancelled", "clause.subcontracting_offered",
                  "need.decided")

# A buyer's need: the buyer hears what becomes of it (validated, sent back, answered), at the
# address that travels with the event; the territory's admins hear that one waits for review.
BUYER_EVENTS = ("need.published", "need.returned", "need.answered")
FOR_REVIEW_EVENTS = ("need.submitted",)


def structure_views(event_type: str, data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    """The event as each structure it concerns sees it: one view per structure alerted about
    a tender that got its result, or told it could subcontract for a contract's winner, or
    whose answer to a buyer's need was decided (``chosen``, ``amount``: its own outcome); the
    event itself otherwise."""
    if event_type == "need.decided":
        return [{**data, "structure_id": outcome["structure_id"], "chosen": outcome["chosen"],
                 "amount": outcome.get("amount")} for outcome in data.get("outcomes") or ()]
    if event_type in FAN_OUT_EVENTS:
        return [{**data, "structure_id": structure_id}
                for structure_id in data.get("structure_ids") or ()]
    return [data]


def view_for(event_type: str, data: Mapping[str, Any], structure_id: int) -> Mapping[str, Any]:
    """The view of one structure (an event parked until that structure was known)."""
    if event_type not in FAN_OUT_EVENTS:
        return data
    return next((view for view in structure_views(event_type, data)
                 if view["structure_id"] == structure_id), {**data, "structure_id": structure_id})


def target_structure(event_type: str, data: Mapping[str, Any], directory: Directory) -> int | None:
    """The structure whose contacts are told, if any."""
    if for_participants(event_type) or event_type == "case.idle_escalated":
        return None
    if event_type == "case.tender_closed" and data.get("structure_told"):
        return None  # its contacts heard it from the tender's own alert: the advisor only
    if event_type == "consortium.answered":
        invitation = directory.invitations.get((data["case_id"], data["structure_id"]))
        if invitation is not None:
            return invitation.lead_structure_id
        case = directory.cases.get(data["case_id"])
        return case.structure_id if case is not None else None
    if data.get("structure_id") is not None:
        return data["structure_id"]
    case = directory.cases.get(data.get("case_id")) if data.get("case_id") is not None else None
    return case.structure_id if case is not None else None


def advisor_for(event_type: str, data: Mapping[str, Any], directory: Directory) -> Person | None:
    if not (event_type.startswith("case.") or event_type in ("diagnosis.completed",
                                                             "consortium.answered")):
        return None
    advisor = person_from(data.get("advisor"))
    if advisor is not None:
        return advisor
    case = directory.cases.get(data.get("case_id")) if data.get("case_id") is not None else None
    return case.advisor if case is not None else None


# Events about a whole session: everyone listed in the event is told.
SESSION_WIDE_EVENTS = ("training.session_cancelled", "training.session_rescheduled",
                       "training.registrations_closed")


def route(event_type: str, data: Mapping[str, Any], directory: Directory) -> Routing:
    found: list[Recipient] = []
    missing: list[int] = []

    def add(person: Person | None, role: Role) -> None:
        if person is None:
            return
        if all(r.email != person.email for r in found):
            found.append(Recipient(person.email, person.name, role))

    if event_type in BUYER_EVENTS:
        add(Person(normalize_email(data["buyer_email"]),
                   data.get("buyer_contact") or data.get("buyer_name")), Role.BUYER)
        return Routing(tuple(found))
    if event_type in FOR_REVIEW_EVENTS:
        for admin in directory.admins:
            add(admin, Role.ADMIN)
        return Routing(tuple(found))
    if event_type in SESSION_WIDE_EVENTS:
        people = data.get("waitlisted_people") if event_type == "training.registrations_closed" \
            else data.get("people")
        for raw in people or ():
            add(person_from(raw), Role.PARTICIPANT)
        return Routing(tuple(found))
    if for_participants(event_type):
        add(person_from(data.get("person")), Role.PARTICIPANT)
        return Routing(tuple(found))

    structure_id = target_structure(event_type, data, directory)
    if structure_id is not None:
        card = directory.structures.get(structure_id)
        if card is None:
            missing.append(structure_id)
        else:
            for contact in card.contacts:
                add(contact, Role.CONTACT)
    advisor = advisor_for(event_type, data, directory)
    add(advisor, Role.ADVISOR)
    if advisor is None and event_type in UNASSIGNED_TO_ADMINS:
        for admin in directory.admins:
            add(admin, Role.ADMIN)
    return Routing(tuple(found), tuple(missing))


# What reaches the territory's admins when the case has nobody to answer for it.
UNASSIGNED_TO_ADMINS = ("case.idle_escalated",)
