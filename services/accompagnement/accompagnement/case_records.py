"""What a case's workflow takes and keeps: its input, the changes it accepts, its state.

Apart from workflows.py so that Temporal's sandbox, which runs the workflow module afresh for
every case, does not also rebuild these dataclasses each time (imported passed through).
"""

# No ``from __future__ import annotations``: Temporal's converter resolves these hints on
# every payload, and real types spare it evaluating strings each time.
from dataclasses import dataclass, field
from datetime import datetime

from centrale.french import PARIS
from .domain.reminders import DEFAULT_IDLE_LIMIT_DAYS, DEFAULT_REMINDER_OFFSETS_DAYS
from .domain.stages import Stage


def paris_iso(value: str | None) -> str | None:
    """One spelling per instant, so that deadlines compare as text."""
    if value is None:
        return None
    return datetime.fromisoformat(value).astimezone(PARIS).isoformat()


def default_idle_days() -> dict[str, int]:
    return {stage.value: days for stage, days in DEFAULT_IDLE_LIMIT_DAYS.items()}


@dataclass
class CaseInput:
    case_id: int
    stage: str = Stage.DIAGNOSIS.value
    deadline: str | None = None  # ISO 8601 with offset
    reminder_days: list[int] | None = None  # None: the defaults (15, 7, 2, 1)
    idle_days: dict[str, int] | None = None  # stage -> days; None: the defaults
    # The state of the run before, when a long case continues as new (its history fresh).
    carried: "CaseState | None" = None


@dataclass
class StageChange:
    target: str
    changed_by: str
    reason: str | None = None
    amount: str | None = None  # won / lost: euros excluding VAT, decimal as text
    feedback: str | None = None  # won / lost: the buyer's feedback


@dataclass
class DeadlineChange:
    deadline: str | None
    reason: str | None = None


@dataclass
class ReminderDays:
    days: list[int]


@dataclass
class CaseActivity:
    by: str


@dataclass
class HistoryEntry:
    from_stage: str
    to_stage: str
    changed_by: str
    reason: str | None
    at: str


@dataclass
class ReminderEntry:
    days_before: int
    deadline: str
    at: str
    skipped: bool = False  # fell due with a later one, which was sent instead


@dataclass
class PlannedReminder:
    days_before: int
    at: str


@dataclass
class EscalationEntry:
    stage: str
    idle_since: str
    at: str


@dataclass
class CaseState:
    case_id: int
    stage: str
    history: list[HistoryEntry] = field(default_factory=list)
    deadline: str | None = None
    reminder_days: list[int] = field(default_factory=lambda: list(DEFAULT_REMINDER_OFFSETS_DAYS))
    idle_days: dict[str, int] = field(default_factory=default_idle_days)
    planned_from: str | None = None
    last_activity_at: str | None = None
    reminders: list[ReminderEntry] = field(default_factory=list)
    next_reminders: list[PlannedReminder] = field(default_factory=list)
    next_wakeup: str | None = None
    deadline_done_for: str | None = None
    escalated_since: str | None = None
    escalations: list[EscalationEntry] = field(default_factory=list)
