"""Notifications' Temporal activities, one dataclass argument each."""

from __future__ import annotations

from dataclasses import dataclass

from temporalio import activity

from centrale.db import Database

from . import store


@dataclass
class CompileDigestInput:
    workflow_id: str


@dataclass
class DigestResult:
    event_count: int
    since: str | None
    until: str


class DigestActivities:
    def __init__(self, db: Database) -> None:
        self.db = db

    @activity.defn(name="notifications.compile_digest")
    def compile_digest(self, data: CompileDigestInput) -> DigestResult:
        with self.db.transaction() as conn:
            digest = store.compile_digest(conn, data.workflow_id)
        return DigestResult(
            event_count=digest["event_count"],
            since=digest["since"].isoformat() if digest["since"] else None,
            until=digest["until"].isoformat(),
        )

    def all(self) -> list:
        return [self.compile_digest]
