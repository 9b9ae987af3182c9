"""The real activities of the CaseWorkflow against the database: each announcement is written
to the outbox once, however often Temporal retries it."""

import pytest

from accompagnement.activities import (CaseActivities, DeadlineInput, EscalationInput,
                                       RecordStageInput, ReminderInput)
from accompagnement.store import cases as case_store
from centrale.testing import outbox_events

pytestmark = pytest.mark.integration

DEADLINE = "2027-01-26T12:00:00+01:00"


@pytest.fixture
def case(db, new_structure, new_advisor, publish_tender):
    """A case row without its workflow: the activities are called directly."""
    structure, advisor, tender = new_structure(), new_advisor("Sophie Vial"), publish_tender()
    with db.transaction() as conn:
        return case_store.open_case(conn, structure["id"], tender["tender_id"],
                                    "Entretien des espaces verts", "user:test",
                                    advisor_id=advisor["id"])


def of_case(db, event_type, case):
    return [e["data"] for e in outbox_events(db, event_type) if e["data"]["case_id"] == case["id"]]


def test_a_reminder_is_announced_once_with_the_advisor(db, case):
    activities = CaseActivities(db)
    data = ReminderInput(case["id"], DEADLINE, 7, "drafting", "2027-01-19T12:00:00+01:00")
    assert activities.send_reminder(data) is True
    assert activities.send_reminder(data) is False  # a retried activity
    assert of_case(db, "case.deadline_reminder", case) == [{
        "case_id": case["id"], "structure_id": case["structure_id"],
        "title": "Entretien des espaces verts", "deadline": DEADLINE, "days_before": 7,
        "stage": "drafting",
        "advisor": {"id": str(case["advisor_id"]), "name": "Sophie Vial",
                    "email": case["advisor_email"]}}]
    # The same J-7 for another deadline (a corrigendum) is another reminder.
    assert activities.send_reminder(ReminderInput(case["id"], "2027-02-09T12:00:00+01:00", 7,
                                                  "drafting", "x")) is True


def test_a_missed_deadline_closes_the_case_and_alerts_its_advisor(db, case):
    activities = CaseActivities(db)
    assert activities.record_stage(RecordStageInput(case["id"], 1, "diagnosis", "missed",
                                                    "système", "Date limite passée")) is True
    assert activities.record_stage(RecordStageInput(case["id"], 1, "diagnosis", "missed",
                                                    "système", "Date limite passée")) is False
    assert activities.announce_deadline_missed(DeadlineInput(case["id"], DEADLINE)) is True
    assert activities.announce_deadline_missed(DeadlineInput(case["id"], DEADLINE)) is False
    with db.transaction() as conn:
        stored = case_store.get_case(conn, case["id"])
        history = case_store.stage_history(conn, case["id"])
    assert stored["stage"] == "missed" and stored["closed_at"] is not None
    assert [(h["from_stage"], h["to_stage"], h["changed_by"]) for h in history] == [
        ("diagnosis", "missed", "système")]
    [missed] = of_case(db, "case.deadline_missed", case)
    assert missed["deadline"] == DEADLINE and missed["advisor"]["name"] == "Sophie Vial"
    [changed] = of_case(db, "case.stage_changed", case)
    assert (changed["from"], changed["to"], changed["by"]) == ("diagnosis", "missed", "système")


def test_deposit_confirmation_and_idle_escalation_are_announced_once(db, case):
    activities = CaseActivities(db)
    assert activities.announce_deposit_unconfirmed(DeadlineInput(case["id"], DEADLINE)) is True
    assert activities.announce_deposit_unconfirmed(DeadlineInput(case["id"], DEADLINE)) is False
    escalation = EscalationInput(case["id"], "drafting", "2026-12-01T10:00:00+01:00", 10)
    assert activities.escalate_idle(escalation) is True
    assert activities.escalate_idle(escalation) is False
    assert of_case(db, "case.idle_escalated", case) == [{
        "case_id": case["id"], "structure_id": case["structure_id"],
        "title": "Entretien des espaces verts", "stage": "drafting",
        "idle_since": "2026-12-01T10:00:00+01:00", "idle_days": 10,
        "advisor": {"id": str(case["advisor_id"]), "name": "Sophie Vial",
                    "email": case["advisor_email"]}}]
    assert len(of_case(db, "case.deposit_unconfirmed", case)) == 1


def test_the_outcome_is_mirrored_with_its_event(db, case):
    activities = CaseActivities(db)
    steps = [("diagnosis", "drafting"), ("drafting", "review"), ("review", "submission"),
             ("submission", "awaiting_result")]
    for step, (before, after) in enumerate(steps, 1):
        activities.record_stage(RecordStageInput(case["id"], step, before, after, "user:c"))
    activities.record_stage(RecordStageInput(case["id"], 5, "awaiting_result", "lost", "user:c",
                                             feedback="Prix trop élevé de 8 %"))
    with db.transaction() as conn:
        stored = case_store.get_case(conn, case["id"])
    assert stored["submitted_at"] is not None and stored["decided_at"] is not None
    assert (stored["stage"], stored["buyer_feedback"]) == ("lost", "Prix trop élevé de 8 %")
    [outcome] = of_case(db, "case.outcome_recorded", case)
    assert (outcome["outcome"], outcome["amount"], outcome["feedback"]) == (
        "lost", None, "Prix trop élevé de 8 %")
