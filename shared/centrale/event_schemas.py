"""The ``data`` of each platform event, as marshmallow schemas: the contract between services.

A producer validates ``data`` with :func:`validate_event_data` before writing the event to its
outbox; a consumer may rely on every required field being there. Events are self-contained
enough for notifications to reach people without calling back: they carry the structure's id
(whose contacts notifications keeps from ``structure.*`` events) and, where an advisor is
concerned, the advisor's id, name and email. Adding an optional field is compatible; removing
or renaming one needs a new ``version``.
"""

from __future__ import annotations

import functools
from typing import Any

from marshmallow import INCLUDE, Schema, ValidationError, fields


class _Data(Schema):
    class Meta:
        unknown = INCLUDE  # producers may add optional fields before consumers know them


class PersonSchema(Schema):
    class Meta:
        unknown = INCLUDE

    id = fields.String(load_default=None, allow_none=True)
    name = fields.String(load_default=None, allow_none=True)
    email = fields.Email(required=True)


# -- veille -----------------------------------------------------------------------------------

class TenderLotSchema(_Data):
    id = fields.String(required=True)
    title = fields.String(allow_none=True, load_default=None)
    cpv_main = fields.String(allow_none=True, load_default=None)
    estimated_value = fields.Dict(allow_none=True, load_default=None)  # {amount, currency}
    deadline = fields.String(allow_none=True, load_default=None)
    reserved = fields.List(fields.String(), load_default=list)
    result = fields.String(allow_none=True, load_default=None)


class TenderSummarySchema(_Data):
    """What other services keep of a tender (accompagnement mirrors it for its cases)."""

    buyer = fields.Dict(allow_none=True, load_default=None)  # {name, siret, nuts}
    cpv_main = fields.String(allow_none=True, load_default=None)
    cpv_additional = fields.List(fields.String(), load_default=list)
    departments = fields.List(fields.String(), load_default=list)
    estimated_value = fields.Dict(allow_none=True, load_default=None)
    procedure_type = fields.String(allow_none=True, load_default=None)
    notice_type = fields.String(allow_none=True, load_default=None)
    reserved = fields.List(fields.String(), load_default=list)
    social_criteria = fields.Boolean(load_default=False)
    lots = fields.List(fields.Nested(TenderLotSchema), load_default=list)
    url = fields.String(allow_none=True, load_default=None)
    documents_url = fields.String(allow_none=True, load_default=None)
    result = fields.String(allow_none=True, load_default=None)  # awarded, unsuccessful, cancelled
    closes_at = fields.String(allow_none=True, load_default=None)  # its open lots' last deadline


class TenderPublished(_Data):
    tender_id = fields.Integer(required=True)
    source = fields.String(required=True)
    source_id = fields.String(required=True)
    title = fields.String(required=True)
    deadline = fields.String(allow_none=True, load_default=None)  # ISO 8601 with offset
    tender = fields.Nested(TenderSummarySchema, load_default=None, allow_none=True)


class TenderUpdated(_Data):
    tender_id = fields.Integer(required=True)
    version = fields.Integer(required=True)
    # field name -> {"before": …, "after": …}; "deadline" above all
    changes = fields.Dict(keys=fields.String(), values=fields.Dict(), required=True)
    title = fields.String(load_default=None, allow_none=True)
    deadline = fields.String(allow_none=True, load_default=None)  # the new deadline
    tender = fields.Nested(TenderSummarySchema, load_default=None, allow_none=True)


class TenderDeadlineMoved(_Data):
    """A corrigendum moved the deadline of a tender a structure was alerted about (and did not
    dismiss): one event per structure."""

    tender_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    title = fields.String(required=True)
    deadline_before = fields.String(allow_none=True, load_default=None)  # ISO 8601
    deadline = fields.String(allow_none=True, load_default=None)  # the new one; None: removed


class TenderMatched(_Data):
    """One alert per (tender, structure): every profile and lot of the structure that matched
    are in it; a later matching profile adds nothing new."""

    tender_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    profile_id = fields.Integer(required=True)  # the best match's profile
    profile_ids = fields.List(fields.Integer(), load_default=list)
    title = fields.String(required=True)
    deadline = fields.String(allow_none=True, load_default=None)  # when its open lots close
    buyer = fields.String(allow_none=True, load_default=None)
    estimated_value = fields.Dict(allow_none=True, load_default=None)  # {amount, currency}
    url = fields.String(allow_none=True, load_default=None)  # the official notice
    documents_url = fields.String(allow_none=True, load_default=None)  # DCE, buyer profile
    score = fields.Float(required=True)
    reasons = fields.List(fields.String(), required=True)  # French, shown to people
    score_parts = fields.List(fields.Dict(), load_default=list)  # {part, label, points, max}
    lots = fields.List(fields.String(), load_default=list)
    expected_renewal = fields.Boolean(load_default=False)


class TenderResultLotSchema(_Data):
    id = fields.String(required=True)
    title = fields.String(allow_none=True, load_default=None)
    result = fields.String(allow_none=True, load_default=None)


class TenderAwardSchema(_Data):
    lot = fields.String(allow_none=True, load_default=None)
    winner = fields.Dict(required=True)  # {name, siret}
    amount = fields.Dict(allow_none=True, load_default=None)  # {amount, currency}
    date = fields.String(allow_none=True, load_default=None)


class TenderAwarded(_Data):
    """A tender got its result: awarded (some lots may be unsuccessful); once per tender.
    ``structure_ids``: the structures alerted about it (and that did not dismiss it)."""

    tender_id = fields.Integer(required=True)
    title = fields.String(required=True)
    result = fields.String(required=True)  # awarded
    buyer = fields.String(allow_none=True, load_default=None)
    structure_ids = fields.List(fields.Integer(), load_default=list)
    lots = fields.List(fields.Nested(TenderResultLotSchema), load_default=list)
    awards = fields.List(fields.Nested(TenderAwardSchema), load_default=list)


class TenderCancelled(TenderAwarded):
    """A tender ended without a winner: ``result`` is cancelled (« sans suite ») or
    unsuccessful (« infructueux »)."""



class NeedEvent(_Data):
    """A buyer's need changed: ``need.submitted`` (posted or edited, for the advisors to
    review), ``need.published`` (validated: ``tender_id`` is its tender, alerted like any
    other), ``need.returned`` (sent back, with ``reason``). The buyer is no structure's
    contact: its address travels with the event."""

    need_id = fields.Integer(required=True)
    object = fields.String(required=True)
    buyer_name = fields.String(required=True)
    buyer_kind = fields.String(required=True)  # public, private
    buyer_email = fields.Email(required=True)
    buyer_contact = fields.String(load_default=None, allow_none=True)
    tender_id = fields.Integer(load_default=None, allow_none=True)
    reason = fields.String(load_default=None, allow_none=True)  # need.returned


class NeedAnswered(NeedEvent):
    """A structure answered « intéressé » to a need."""

    structure_id = fields.Integer(required=True)
    structure_name = fields.String(required=True)
    answer_id = fields.Integer(required=True)


class NeedOutcomeSchema(_Data):
    structure_id = fields.Integer(required=True)
    chosen = fields.Boolean(required=True)
    amount = fields.Float(load_default=None, allow_none=True)  # euros HT


class NeedDecided(NeedEvent):
    """The buyer recorded the outcome: who was chosen (with the amount) and who was not; an
    impact figure like a case won."""

    outcomes = fields.List(fields.Nested(NeedOutcomeSchema), required=True)


# -- accompagnement ---------------------------------------------------------------------------

class ContactSchema(PersonSchema):
    role = fields.String(load_default=None, allow_none=True)  # e.g. "direction", "référent"


class StructureRegistered(_Data):
    structure_id = fields.Integer(required=True)
    legal_name = fields.String(required=True)
    siret = fields.String(required=True)
    category = fields.String(required=True)
    departement = fields.String(allow_none=True, load_default=None)
    contacts = fields.List(fields.Nested(ContactSchema), load_default=list)
    # Optional, for the services that match tenders to structures.
    legal_form = fields.String(allow_none=True, load_default=None)
    insertion_kind = fields.String(allow_none=True, load_default=None)  # aci, ai, ei, etti, eiti, geiq
    activities = fields.List(fields.String(), load_default=list)  # CPV codes or prefixes


StructureUpdated = StructureRegistered


class StructureListingChanged(_Data):
    """A structure gave (``listed``) or withdrew its consent to appear in the public
    directory."""

    structure_id = fields.Integer(required=True)
    listed = fields.Boolean(required=True)
    by = fields.String(required=True)  # who acted (the token's subject)


class ClauseSubcontractingOffered(_Data):
    """The facilitator follows an awarded contract with a social clause: the insertion
    structures (``structure_ids``) whose activities cover its work could subcontract for its
    winner and help it meet the clause (accompagnement's ``domain/clauses.py`` says who)."""

    contract_id = fields.Integer(required=True)
    tender_id = fields.Integer(required=True)
    title = fields.String(required=True)
    winner = fields.Dict(required=True)  # {name, siret}
    structure_ids = fields.List(fields.Integer(), required=True)
    lot = fields.String(load_default=None, allow_none=True)
    buyer = fields.String(load_default=None, allow_none=True)
    hours_required = fields.Float(load_default=None, allow_none=True)
    cpv_codes = fields.List(fields.String(), load_default=list)


class CaseTenderClosed(_Data):
    """The tender an open case answers was awarded, declared unsuccessful or cancelled.
    ``structure_told``: its structure heard it already (it was alerted about the tender)."""

    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    tender_id = fields.Integer(required=True)
    title = fields.String(required=True)
    result = fields.String(required=True)  # awarded, unsuccessful, cancelled
    structure_told = fields.Boolean(load_default=False)
    advisor = fields.Nested(PersonSchema, allow_none=True, load_default=None)


class CaseOpened(_Data):
    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    tender_id = fields.Integer(allow_none=True, load_default=None)
    title = fields.String(required=True)
    advisor = fields.Nested(PersonSchema, allow_none=True, load_default=None)
    deadline = fields.String(allow_none=True, load_default=None)


class CaseStageChanged(_Data):
    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(load_default=None, allow_none=True)
    title = fields.String(load_default=None, allow_none=True)
    from_ = fields.String(allow_none=True, load_default=None, data_key="from")
    to = fields.String(required=True)
    by = fields.String(required=True)
    reason = fields.String(allow_none=True, load_default=None)
    advisor = fields.Nested(PersonSchema, allow_none=True, load_default=None)


class CaseDeadlineChanged(_Data):
    """A case's deadline moved (a corrigendum from veille, or a quote's date edited by hand):
    calendars follow."""

    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    title = fields.String(required=True)
    deadline = fields.String(allow_none=True, load_default=None)  # ISO 8601 with offset
    previous_deadline = fields.String(allow_none=True, load_default=None)
    reason = fields.String(allow_none=True, load_default=None)
    advisor = fields.Nested(PersonSchema, allow_none=True, load_default=None)


class CaseDeadlineReminder(_Data):
    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    title = fields.String(required=True)
    deadline = fields.String(required=True)  # ISO 8601 with offset
    days_before = fields.Integer(required=True)  # 15, 7, 2, 1…
    stage = fields.String(required=True)
    advisor = fields.Nested(PersonSchema, allow_none=True, load_default=None)


class CaseDeadlineMissed(_Data):
    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    title = fields.String(required=True)
    deadline = fields.String(required=True)
    advisor = fields.Nested(PersonSchema, allow_none=True, load_default=None)


class CaseOutcomeRecorded(_Data):
    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    outcome = fields.String(required=True)  # won | lost
    amount = fields.String(allow_none=True, load_default=None)  # euros, decimal as text
    title = fields.String(load_default=None, allow_none=True)
    feedback = fields.String(load_default=None, allow_none=True)  # the buyer's, as recorded


class ConsortiumInvited(_Data):
    case_id = fields.Integer(required=True)
    lead_structure_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)  # the invited partner
    title = fields.String(required=True)
    role = fields.String(required=True)


class ConsortiumAnswered(_Data):
    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    accepted = fields.Boolean(required=True)


class CaseIdleEscalated(_Data):
    """A case left in one stage longer than allowed: its advisor (and their manager) is alerted."""

    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    title = fields.String(required=True)
    stage = fields.String(required=True)
    idle_since = fields.String(required=True)  # ISO 8601 with offset: the last activity
    idle_days = fields.Integer(required=True)  # the limit that was passed
    advisor = fields.Nested(PersonSchema, allow_none=True, load_default=None)


class CaseDepositUnconfirmed(_Data):
    """The deadline passed while the case was at the deposit stage: did the deposit happen?"""

    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    title = fields.String(required=True)
    deadline = fields.String(required=True)
    advisor = fields.Nested(PersonSchema, allow_none=True, load_default=None)


class StructureDocumentExpiring(_Data):
    """A document of a structure's vault (attestation, Kbis, insurance…) expires soon or has
    expired: the structure renews it before its next answer."""

    structure_id = fields.Integer(required=True)
    document_id = fields.Integer(required=True)
    kind = fields.String(required=True)  # dc1, attestation_urssaf, kbis, assurance…
    label = fields.String(required=True)  # French
    valid_until = fields.String(required=True)  # ISO date
    days_left = fields.Integer(required=True)  # negative once expired
    message = fields.String(required=True)  # French, shown to people


class DiagnosisCompleted(_Data):
    case_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    decision = fields.String(required=True)  # go | review | no_go
    score = fields.Float(required=True)
    recommended_modules = fields.List(fields.String(), load_default=list)


# -- formation --------------------------------------------------------------------------------

class TrainingSessionScheduled(_Data):
    session_id = fields.Integer(required=True)
    module_code = fields.String(required=True)
    starts_at = fields.String(required=True)
    place = fields.String(required=True)
    # Optional (formation):
    module_title = fields.String(load_default=None, allow_none=True)
    ends_at = fields.String(load_default=None, allow_none=True)
    video_url = fields.String(load_default=None, allow_none=True)
    trainer = fields.String(load_default=None, allow_none=True)
    capacity = fields.Integer(load_default=None, allow_none=True)
    invitation_path = fields.String(load_default=None, allow_none=True)


class TrainingRegistration(_Data):
    """``training.registration_confirmed``, ``training.waitlisted``, ``training.promoted``,
    ``training.reminder``: one person of one structure and one session."""

    session_id = fields.Integer(required=True)
    registration_id = fields.Integer(required=True)
    structure_id = fields.Integer(required=True)
    person = fields.Nested(PersonSchema, required=True)
    module_title = fields.String(required=True)
    starts_at = fields.String(required=True)
    ends_at = fields.String(load_default=None, allow_none=True)
    place = fields.String(required=True)
    days_before = fields.Integer(load_default=None, allow_none=True)  # reminders only
    waitlist_position = fields.Integer(load_default=None, allow_none=True)
    # Optional (formation):
    module_code = fields.String(load_default=None, allow_none=True)
    video_url = fields.String(load_default=None, allow_none=True)
    trainer = fields.String(load_default=None, allow_none=True)
    # The session's calendar invitation: GET it from formation with a service token, or
    # attach ``ics`` (iCalendar text, Europe/Paris with its VTIMEZONE) as it is. ``ics`` is
    # in registration_confirmed, promoted and reminder.
    invitation_path = fields.String(load_default=None, allow_none=True)
    ics = fields.String(load_default=None, allow_none=True)
    # training.survey_requested: where to answer and, for people present, the certificate.
    survey_path = fields.String(load_default=None, allow_none=True)
    certificate_path = fields.String(load_default=None, allow_none=True)
    # training.registration_cancelled: confirmed or waitlisted before the cancellation.
    previous_status = fields.String(load_default=None, allow_none=True)


class TrainingSessionCancelled(_Data):
    session_id = fields.Integer(required=True)
    reason = fields.String(allow_none=True, load_default=None)
    module_title = fields.String(load_default=None, allow_none=True)
    starts_at = fields.String(load_default=None, allow_none=True)
    # everyone registered or waitlisted, so notifications can tell them
    # (formation adds structure_id, registration_id and status to each person)
    people = fields.List(fields.Nested(PersonSchema), load_default=list)
    # Optional (formation):
    module_code = fields.String(load_default=None, allow_none=True)
    ends_at = fields.String(load_default=None, allow_none=True)
    place = fields.String(load_default=None, allow_none=True)
    structure_ids = fields.List(fields.Integer(), load_default=list)
    invitation_path = fields.String(load_default=None, allow_none=True)
    ics = fields.String(load_default=None, allow_none=True)  # the invitation, STATUS:CANCELLED


class TrainingSessionRescheduled(_Data):
    """A session moved to other dates: everyone registered or waitlisted is told, with the
    new invitation (same UID, higher SEQUENCE)."""

    session_id = fields.Integer(required=True)
    module_title = fields.String(required=True)
    previous_starts_at = fields.String(required=True)
    starts_at = fields.String(required=True)
    ends_at = fields.String(required=True)
    people = fields.List(fields.Nested(PersonSchema), load_default=list)
    reason = fields.String(load_default=None, allow_none=True)
    # Optional (formation):
    module_code = fields.String(load_default=None, allow_none=True)
    previous_ends_at = fields.String(load_default=None, allow_none=True)
    place = fields.String(load_default=None, allow_none=True)
    video_url = fields.String(load_default=None, allow_none=True)
    trainer = fields.String(load_default=None, allow_none=True)
    structure_ids = fields.List(fields.Integer(), load_default=list)
    invitation_path = fields.String(load_default=None, allow_none=True)
    ics = fields.String(load_default=None, allow_none=True)


class TrainingSessionRecommended(_Data):
    """A session of a module a structure's diagnosis recommended is scheduled (one event per
    structure, none of whose people has attended the module yet)."""

    structure_id = fields.Integer(required=True)
    session_id = fields.Integer(required=True)
    module_title = fields.String(required=True)
    starts_at = fields.String(required=True)
    ends_at = fields.String(required=True)
    place = fields.String(required=True)
    registrations_close_at = fields.String(required=True)
    # Optional (formation):
    case_ids = fields.List(fields.Integer(), load_default=list)
    module_code = fields.String(load_default=None, allow_none=True)
    video_url = fields.String(load_default=None, allow_none=True)
    trainer = fields.String(load_default=None, allow_none=True)


class TrainingRegistrationsClosed(_Data):
    """Registrations closed before the session: the list is final, the waitlist frozen; the
    people still waitlisted get no seat."""

    session_id = fields.Integer(required=True)
    module_title = fields.String(required=True)
    starts_at = fields.String(required=True)
    confirmed = fields.Integer(required=True)
    waitlisted = fields.Integer(required=True)
    waitlisted_people = fields.List(fields.Nested(PersonSchema), load_default=list)


EVENT_DATA_SCHEMAS: dict[str, type[Schema]] = {
    "tender.published": TenderPublished,
    "tender.updated": TenderUpdated,
    "tender.matched": TenderMatched,
    "tender.deadline_moved": TenderDeadlineMoved,
    "tender.awarded": TenderAwarded,
    "tender.cancelled": TenderCancelled,
    "case.tender_closed": CaseTenderClosed,
    "clause.subcontracting_offered": ClauseSubcontractingOffered,
    "need.submitted": NeedEvent,
    "need.published": NeedEvent,
    "need.returned": NeedEvent,
    "need.answered": NeedAnswered,
    "need.decided": NeedDecided,
    "structure.registered": StructureRegistered,
    "structure.updated": StructureUpdated,
    "structure.listing_changed": StructureListingChanged,
    "case.opened": CaseOpened,
    "case.stage_changed": CaseStageChanged,
    "case.deadline_changed": CaseDeadlineChanged,
    "case.deadline_reminder": CaseDeadlineReminder,
    "case.deadline_missed": CaseDeadlineMissed,
    "case.outcome_recorded": CaseOutcomeRecorded,
    "case.idle_escalated": CaseIdleEscalated,
    "case.deposit_unconfirmed": CaseDepositUnconfirmed,
    "structure.document_expiring": StructureDocumentExpiring,
    "consortium.invited": ConsortiumInvited,
    "consortium.answered": ConsortiumAnswered,
    "diagnosis.completed": DiagnosisCompleted,
    "training.session_scheduled": TrainingSessionScheduled,
    "training.registration_confirmed": TrainingRegistration,
    "training.waitlisted": TrainingRegistration,
    "training.promoted": TrainingRegistration,
    "training.reminder": TrainingRegistration,
    "training.session_cancelled": TrainingSessionCancelled,
    "training.session_rescheduled": TrainingSessionRescheduled,
    "training.session_recommended": TrainingSessionRecommended,
    "training.registration_cancelled": TrainingRegistration,
    "training.registrations_closed": TrainingRegistrationsClosed,
    "training.survey_requested": TrainingRegistration,
}


@functools.lru_cache(maxsize=None)
def _schema_instance(event_type: str) -> Schema | None:
    """One instance per contract: building a schema (and its nested ones) costs more than
    validating an event with it, and instances are reusable across threads."""
    schema = EVENT_DATA_SCHEMAS.get(event_type)
    return schema() if schema is not None else None


def validate_event_data(event_type: str, data: dict[str, Any]) -> None:
    """Raise ``ValidationError`` unless ``data`` fits the contract of ``event_type``.

    Event types without a schema yet are accepted as they are (extend the table above)."""
    schema = _schema_instance(event_type)
    if schema is None:
        return
    errors = schema.validate(data)
    if errors:
        raise ValidationError({"data": errors})
