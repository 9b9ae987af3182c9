"""Formation's Temporal activities, one dataclass argument each."""

from __future__ import annotations

from dataclasses import dataclass

from temporalio import activity

from centrale.db import Database

from . import store


@dataclass
class CloseSessionInput:
    session_id: int
    status: str
    reason: str | None = None


class SessionActivities:
    def __init__(self, db: Database) -> None:
        self.db = db

    @activity.defn(name="formation.close_session")
    def close_session(self, data: CloseSessionInput) -> bool:
        with self.db.transaction() as conn:
            return store.close_session(conn, data.session_id, data.status, data.reason)

    def all(self) -> list:
        return [self.close_session]
