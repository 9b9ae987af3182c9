"""Notifications' Temporal activities, one dataclass argument each."""

from __future__ import annotations

from dataclasses import dataclass

from temporalio import activity

from centrale.db import Database

from .config import NotificationConfig
from .digests import compile_digest


@dataclass
class CompileDigestInput:
    workflow_id: str


@dataclass
class DigestResult:
    digest_id: int
    item_count: int
    email_count: int
    since: str | None
    until: str


class DigestActivities:
    def __init__(self, db: Database, config: NotificationConfig) -> None:
        self.db = db
        self.config = config

    @activity.defn(name="notifications.compile_digest")
    def compile_digest(self, data: CompileDigestInput) -> DigestResult:
        """Gather each person's new digest items into one queued email (idempotent by id)."""
        with self.db.transaction() as conn:
            digest = compile_digest(conn, self.config, data.workflow_id)
        return DigestResult(
            digest_id=digest.digest_id,
            item_count=digest.item_count,
            email_count=digest.email_count,
            since=digest.since.isoformat() if digest.since else None,
            until=digest.until.isoformat(),
        )

    def all(self) -> list:
        return [self.compile_digest]
