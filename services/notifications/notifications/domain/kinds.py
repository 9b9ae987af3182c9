"""Kinds of notification, and how a person's preference decides what an email does.

A person chooses, for each kind, to be emailed immediately, in the daily digest, or never.
The preference governs email only: every notification also lands in the person's in-app feed,
so nothing that concerns them is ever invisible.

One rule overrides a « digest » choice: an urgent notification (a deadline or a session less
than 48 hours away) cannot wait for tomorrow's digest and is emailed immediately. « Never » is
always honoured.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from centrale.french import label


class Mode(StrEnum):
    IMMEDIATE = "immediate"
    DIGEST = "digest"
    NEVER = "never"

    @property
    def label(self) -> str:
        return label("notification_mode", self)


# A digest goes out once a day: anything due sooner than this must not wait for it.
URGENCY_HORIZON = timedelta(hours=48)


@dataclass(frozen=True)
class Kind:
    code: str
    label: str
    event_types: tuple[str, ...]
    default: Mode = Mode.IMMEDIATE


KINDS: tuple[Kind, ...] = (
    Kind("appels_offres", "Appels d'offres repérés pour votre structure",
         ("tender.matched", "tender.deadline_moved", "tender.awarded", "tender.cancelled")),
    Kind("dossiers", "Suivi de vos dossiers de réponse",
         ("case.opened", "case.stage_changed", "case.outcome_recorded", "diagnosis.completed",
          "case.tender_closed", "need.decided")),
    Kind("echeances", "Échéances et relances",
         ("case.deadline_reminder", "case.deadline_missed", "case.deposit_unconfirmed",
          "case.idle_escalated")),
    Kind("besoins", "Vos besoins déposés à la Centrale",
         ("need.published", "need.returned", "need.answered")),
    Kind("besoins_a_valider", "Besoins d'acheteurs à valider", ("need.submitted",)),
    Kind("groupements", "Groupements solidaires", ("consortium.invited", "consortium.answered")),
    # The facilitator follows an awarded contract with a social clause whose work an insertion
    # structure does: its winner may subcontract to it (accompagnement's domain/clauses.py).
    Kind("sous_traitance", "Sous-traitance pour les titulaires de marchés à clause sociale",
         ("clause.subcontracting_offered",)),
    Kind("documents", "Documents administratifs à renouveler", ("structure.document_expiring",)),
    Kind("formations", "Formations",
         ("training.registration_confirmed", "training.waitlisted", "training.promoted",
          "training.session_recommended", "training.reminder", "training.session_cancelled",
          "training.session_rescheduled",
          "training.registration_cancelled",
          "training.registrations_closed", "training.survey_requested")),
    # Asked through the API by the portail (not a bus event): an account to create.
    Kind("acces", "Invitations à rejoindre la Centrale", ("account.invited",)),
    Kind("mot_de_passe", "Liens pour choisir un nouveau mot de passe",
         ("account.password_reset",)),
    # Asked by the portail too: the check of an address someone typed (a visitor of the
    # directory writing to a structure, a buyer signing up) — and the messages of the public
    # directory's contact form, relayed to a structure's contacts once the sender's address is
    # checked.
    Kind("verification", "Vérification de votre adresse électronique", ("account.email_check",)),
    Kind("annuaire", "Messages reçus par l'annuaire public", ("directory.message",)),
)

KINDS_BY_CODE: dict[str, Kind] = {kind.code: kind for kind in KINDS}
KIND_BY_EVENT: dict[str, Kind] = {t: kind for kind in KINDS for t in kind.event_types}
# What other services ask notifications to send through its API rather than by an event.
REQUESTED_EVENT_TYPES: tuple[str, ...] = ("account.invited", "account.password_reset",
                                          "account.email_check", "directory.message")
# What the bus brings.
NOTIFIED_EVENT_TYPES: tuple[str, ...] = tuple(t for t in KIND_BY_EVENT
                                             if t not in REQUESTED_EVENT_TYPES)

# The unsubscribe link of a digest email stands for « every kind I receive in the digest ».
DIGEST_SCOPE = "resume"


def kind_for(event_type: str) -> Kind:
    try:
        return KIND_BY_EVENT[event_type]
    except KeyError:
        raise ValueError(f"no notification kind for {event_type!r}") from None


def is_urgent(moment: datetime | None, now: datetime) -> bool:
    """True when ``moment`` (a deadline, a session start) is in the future but within 48 h."""
    if moment is None:
        return False
    return now <= moment <= now + URGENCY_HORIZON


def decide(preference: Mode | None, kind: Kind, urgent: bool) -> Mode:
    """How this notification is emailed: the person's choice, or the kind's default."""
    mode = preference or kind.default
    if mode is Mode.DIGEST and urgent:
        return Mode.IMMEDIATE
    return mode
