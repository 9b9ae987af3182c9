"""Seats, waitlist order, when registrations close, what may be recorded when."""

from datetime import datetime, timedelta, timezone
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from formation.domain.registrations import (
    ParticipantFacts,
    SessionFacts,
    Status,
    admit,
    attendance_refusal,
    attended_hours,
    certificate_refusal,
    registration_refusal,
    registrations_close_at,
    seats_left,
    survey_refusal,
    to_promote,
    waitlist_position,
)

PARIS = ZoneInfo("Europe/Paris")
UTC = timezone.utc
START = datetime(2027, 3, 4, 9, 0, tzinfo=PARIS)
END = datetime(2027, 3, 4, 17, 0, tzinfo=PARIS)


def session(confirmed=0, capacity=10, status="scheduled", close_hours=Decimal(24),
            closed_at=None):
    return SessionFacts(status=status, starts_at=START, ends_at=END, capacity=capacity,
                        confirmed=confirmed, close_hours=close_hours,
                        registrations_closed_at=closed_at)


BEFORE = datetime(2027, 2, 1, 12, 0, tzinfo=PARIS)


def test_a_free_seat_confirms_and_a_full_session_waitlists():
    assert admit(session(confirmed=9)) is Status.CONFIRMED
    assert admit(session(confirmed=10)) is Status.WAITLISTED
    assert seats_left(session(confirmed=7)) == 3
    assert seats_left(session(confirmed=10)) == 0


def test_the_waitlist_is_first_come_first_served():
    waitlist = [41, 17, 58]  # arrival order, whatever the ids
    assert [waitlist_position(waitlist, r) for r in (41, 17, 58)] == [1, 2, 3]
    # Two seats handed back: the two heads of the list, in order.
    assert to_promote(session(confirmed=8), waitlist, BEFORE) == [41, 17]
    assert to_promote(session(confirmed=10), waitlist, BEFORE) == []
    assert to_promote(session(confirmed=0), waitlist, BEFORE) == [41, 17, 58]


def test_registrations_close_24_hours_before_by_default():
    assert registrations_close_at(START, Decimal(24)) == datetime(2027, 3, 3, 8, 0, tzinfo=UTC)
    just_before = datetime(2027, 3, 3, 8, 59, 59, tzinfo=PARIS)
    assert registration_refusal(session(), just_before) is None
    assert registration_refusal(session(), datetime(2027, 3, 3, 9, 0, tzinfo=PARIS)) == (
        "Les inscriptions sont closes depuis le mercredi 3 mars 2027 à 9 h 00.")


def test_the_closing_delay_is_configurable():
    assert registration_refusal(session(close_hours=Decimal(48)),
                                datetime(2027, 3, 2, 10, 0, tzinfo=PARIS)) is not None
    assert registration_refusal(session(close_hours=Decimal("1.5")),
                                datetime(2027, 3, 4, 7, 29, tzinfo=PARIS)) is None
    assert registration_refusal(session(close_hours=Decimal(0)),
                                datetime(2027, 3, 4, 8, 59, tzinfo=PARIS)) is None


def test_closed_by_the_workflow_cancelled_or_held_sessions_refuse_registrations():
    assert registration_refusal(session(closed_at=BEFORE), BEFORE).startswith(
        "Les inscriptions sont closes")
    assert registration_refusal(session(status="cancelled"), BEFORE) == (
        "Cette session a été annulée.")
    assert registration_refusal(session(status="held"), BEFORE) == "Cette session a déjà eu lieu."
    assert registration_refusal(session(close_hours=Decimal(0)), START) == (
        "Cette session a déjà eu lieu.")


def test_the_waitlist_is_frozen_once_registrations_close():
    closing_time = datetime(2027, 3, 3, 9, 0, tzinfo=PARIS)
    assert to_promote(session(confirmed=9), [5, 6], closing_time) == []
    assert to_promote(session(confirmed=9, closed_at=BEFORE), [5, 6], BEFORE) == []


def test_attendance_from_the_start_never_for_a_cancelled_session():
    assert attendance_refusal(session(), START - timedelta(minutes=1)) == (
        "La présence s'enregistre à partir du début de la session.")
    assert attendance_refusal(session(), START) is None
    assert attendance_refusal(session(status="held"), END + timedelta(days=3)) is None
    assert attendance_refusal(session(status="cancelled"), END).startswith(
        "Cette session a été annulée")


def test_attended_hours_default_to_the_module_and_never_exceed_it():
    assert attended_hours(True, None, Decimal(7)) == Decimal(7)
    assert attended_hours(True, Decimal("3.5"), Decimal(7)) == Decimal("3.5")
    assert attended_hours(False, None, Decimal(7)) is None
    with pytest.raises(ValueError, match="entre 0 et 7"):
        attended_hours(True, Decimal(8), Decimal(7))
    with pytest.raises(ValueError, match="absente"):
        attended_hours(False, Decimal(2), Decimal(7))


@pytest.mark.parametrize(("person", "now", "refusal"), [
    (ParticipantFacts("confirmed", True, False), END, None),
    (ParticipantFacts("confirmed", None, False), END, None),  # sheet not filled yet
    (ParticipantFacts("confirmed", True, False), END - timedelta(minutes=1),
     "Le questionnaire de satisfaction s'ouvre à la fin de la session."),
    (ParticipantFacts("confirmed", True, True), END,
     "Le questionnaire a déjà été rempli pour cette inscription."),
    (ParticipantFacts("confirmed", False, False), END,
     "Cette personne a été notée absente : pas de questionnaire de satisfaction."),
    (ParticipantFacts("waitlisted", None, False), END,
     "Seules les personnes inscrites (place confirmée) répondent au questionnaire."),
])
def test_the_survey_is_answered_once_after_the_session(person, now, refusal):
    assert survey_refusal(session(status="held"), person, now) == refusal


def test_a_certificate_only_for_a_person_present():
    assert certificate_refusal(ParticipantFacts("confirmed", True, False)) is None
    for facts in (ParticipantFacts("confirmed", None, False),
                  ParticipantFacts("confirmed", False, False),
                  ParticipantFacts("cancelled", True, False)):
        assert certificate_refusal(facts) == (
            "Aucune présence enregistrée pour cette inscription : pas d'attestation.")


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        registration_refusal(session(), datetime(2027, 1, 1))
