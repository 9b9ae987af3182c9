"""Accompagnement's Temporal activities, one dataclass argument each.

Each one is a single transaction that is safe to retry: the stage history has one row per
workflow step, and every announcement has its row in ``case_alerts``.
"""

# No ``from __future__ import annotations``: real types spare Temporal's converter evaluating
# the dataclasses' hints as strings for every payload.
from dataclasses import dataclass
from decimal import Decimal

from temporalio import activity

from centrale.db import Database

from .store import alerts, cases


@dataclass
class RecordStageInput:
    case_id: int
    step: int
    from_stage: str
    to_stage: str
    changed_by: str
    reason: str | None = None
    amount: str | None = None  # euros excluding VAT, decimal as text (won / lost)
    feedback: str | None = None  # the buyer's feedback (won / lost)


@dataclass
class ReminderInput:
    case_id: int
    deadline: str  # ISO 8601 with offset
    days_before: int
    stage: str
    planned_at: str  # the instant the reminder was due


@dataclass
class DeadlineInput:
    case_id: int
    deadline: str


@dataclass
class EscalationInput:
    case_id: int
    stage: str
    idle_since: str
    idle_days: int


class CaseActivities:
    def __init__(self, db: Database) -> None:
        self.db = db

    @activity.defn(name="accompagnement.record_stage")
    def record_stage(self, data: RecordStageInput) -> bool:
        with self.db.transaction(pipelined=True) as conn:
            return cases.record_stage_change(
                conn, data.case_id, data.step, data.from_stage, data.to_stage, data.changed_by,
                data.reason, amount=Decimal(data.amount) if data.amount is not None else None,
                feedback=data.feedback)

    @activity.defn(name="accompagnement.send_reminder")
    def send_reminder(self, data: ReminderInput) -> bool:
        with self.db.transaction() as conn:
            return alerts.deadline_reminder(conn, data.case_id, data.deadline, data.days_before,
                                            data.stage)

    @activity.defn(name="accompagnement.announce_deadline_missed")
    def announce_deadline_missed(self, data: DeadlineInput) -> bool:
        with self.db.transaction() as conn:
            return alerts.deadline_missed(conn, data.case_id, data.deadline)

    @activity.defn(name="accompagnement.announce_deposit_unconfirmed")
    def announce_deposit_unconfirmed(self, data: DeadlineInput) -> bool:
        with self.db.transaction() as conn:
            return alerts.deposit_unconfirmed(conn, data.case_id, data.deadline)

    @activity.defn(name="accompagnement.escalate_idle")
    def escalate_idle(self, data: EscalationInput) -> bool:
        with self.db.transaction() as conn:
            return alerts.idle_escalated(conn, data.case_id, data.stage, data.idle_since,
                                         data.idle_days)

    def all(self) -> list:
        return [self.record_stage, self.send_reminder, self.announce_deadline_missed,
                self.announce_deposit_unconfirmed, self.escalate_idle]
