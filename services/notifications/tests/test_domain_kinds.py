"""Preferences decide what an email does; « never » is always honoured; urgent items skip
the digest."""

from datetime import datetime, timedelta, timezone

import pytest

from notifications.domain.kinds import (KINDS, KINDS_BY_CODE, NOTIFIED_EVENT_TYPES, Mode,
                                        decide, is_urgent, kind_for)

ECHEANCES = KINDS_BY_CODE["echeances"]


def test_every_notified_event_has_exactly_one_kind():
    types = [t for kind in KINDS for t in kind.event_types]
    assert len(types) == len(set(types))
    assert set(NOTIFIED_EVENT_TYPES) >= {
        "tender.matched", "case.opened", "case.stage_changed", "case.deadline_reminder",
        "case.deadline_missed", "case.idle_escalated", "case.outcome_recorded",
        "consortium.invited", "consortium.answered", "diagnosis.completed",
        "training.registration_confirmed", "training.waitlisted", "training.promoted",
        "training.reminder", "training.session_cancelled"}
    assert kind_for("case.deadline_reminder") is ECHEANCES
    with pytest.raises(ValueError):
        kind_for("tender.published")


def test_without_a_choice_the_kind_default_applies():
    assert decide(None, ECHEANCES, urgent=False) is Mode.IMMEDIATE


@pytest.mark.parametrize("mode", list(Mode))
def test_a_choice_is_honoured_when_nothing_is_urgent(mode):
    assert decide(mode, ECHEANCES, urgent=False) is mode


def test_an_urgent_item_does_not_wait_for_the_digest():
    assert decide(Mode.DIGEST, ECHEANCES, urgent=True) is Mode.IMMEDIATE


def test_never_is_honoured_even_when_urgent():
    assert decide(Mode.NEVER, ECHEANCES, urgent=True) is Mode.NEVER


def test_urgent_means_in_the_next_48_hours():
    now = datetime(2027, 1, 18, 12, tzinfo=timezone.utc)
    assert is_urgent(now + timedelta(hours=47), now)
    assert is_urgent(now + timedelta(hours=48), now)
    assert not is_urgent(now + timedelta(hours=49), now)
    assert not is_urgent(now - timedelta(hours=1), now)  # already past
    assert not is_urgent(None, now)
