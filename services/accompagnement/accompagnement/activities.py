"""Accompagnement's Temporal activities, one dataclass argument each."""

from __future__ import annotations

from dataclasses import dataclass

from temporalio import activity

from centrale.db import Database

from . import store


@dataclass
class RecordStageInput:
    case_id: int
    step: int
    from_stage: str
    to_stage: str
    changed_by: str
    reason: str | None = None


class CaseActivities:
    def __init__(self, db: Database) -> None:
        self.db = db

    @activity.defn(name="accompagnement.record_stage")
    def record_stage(self, data: RecordStageInput) -> bool:
        with self.db.transaction() as conn:
            return store.record_stage_change(conn, data.case_id, data.step, data.from_stage,
                                             data.to_stage, data.changed_by, data.reason)

    def all(self) -> list:
        return [self.record_stage]
