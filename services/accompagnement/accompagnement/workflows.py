"""The CaseWorkflow: one per case, its stage changed only through validated Updates.

The workflow is the source of truth for a case's stage; each accepted change is mirrored into
accompagnement's database by an activity (which also emits ``case.stage_changed``). The
workflow ends when the case reaches a terminal stage (won, lost, abandoned, missed).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from centrale.temporal import DEFAULT_RETRY

    from .activities import RecordStageInput
    from .domain.stages import Stage, check_transition


@dataclass
class CaseInput:
    case_id: int
    stage: str = Stage.DIAGNOSIS.value


@dataclass
class StageChange:
    target: str
    changed_by: str
    reason: str | None = None


@dataclass
class HistoryEntry:
    from_stage: str
    to_stage: str
    changed_by: str
    reason: str | None
    at: str


@dataclass
class CaseState:
    case_id: int
    stage: str
    history: list[HistoryEntry] = field(default_factory=list)


@workflow.defn(name="Case")
class CaseWorkflow:
    @workflow.init
    def __init__(self, data: CaseInput) -> None:
        # Built here, not in run(): an update may arrive in the very first activation.
        self.state = CaseState(case_id=data.case_id, stage=data.stage)

    @workflow.run
    async def run(self, data: CaseInput) -> CaseState:
        await workflow.wait_condition(lambda: Stage(self.state.stage).is_terminal)
        # Let the update that closed the case finish before the workflow does.
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.state

    @workflow.update(name="change_stage")
    async def change_stage(self, change: StageChange) -> CaseState:
        current = self.state.stage
        self.state.stage = change.target
        entry = HistoryEntry(current, change.target, change.changed_by, change.reason,
                             workflow.now().isoformat())
        self.state.history.append(entry)
        await workflow.execute_activity(
            "accompagnement.record_stage",
            RecordStageInput(case_id=self.state.case_id, step=len(self.state.history),
                             from_stage=current, to_stage=change.target,
                             changed_by=change.changed_by, reason=change.reason),
            start_to_close_timeout=timedelta(seconds=30),
            retry_policy=DEFAULT_RETRY,
        )
        return self.state

    @change_stage.validator
    def validate_change_stage(self, change: StageChange) -> None:
        try:
            target = Stage(change.target)
        except ValueError:
            raise ValueError(f"Étape inconnue : {change.target!r}.") from None
        check_transition(Stage(self.state.stage), target)

    @workflow.query(name="state")
    def get_state(self) -> CaseState:
        return self.state
