"""Formation's Temporal activities, one dataclass argument each.

Each is idempotent — a retried activity has no second effect: reminders are claimed once per
session and J-N, registrations close once, a session closes once, the survey is asked once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from temporalio import activity

from centrale.db import Database

from . import session_steps, sessions


@dataclass
class CloseSessionInput:
    session_id: int
    status: str
    reason: str | None = None


@dataclass
class SendRemindersInput:
    session_id: int
    days_before: int
    planned_at: str = ""  # ISO 8601, when the workflow meant to send them (for the logs)
    # The start they recall: a session moved meanwhile is not recalled at its old date.
    # None from workflows of before rescheduling.
    starts_at: str | None = None


@dataclass
class CloseRegistrationsInput:
    session_id: int
    planned_at: str = ""
    starts_at: str | None = None  # as for reminders: not for a date the session has left


@dataclass
class RequestSurveyInput:
    session_id: int


class SessionActivities:
    def __init__(self, db: Database) -> None:
        self.db = db

    @activity.defn(name="formation.close_session")
    def close_session(self, data: CloseSessionInput) -> bool:
        with self.db.transaction() as conn:
            return sessions.close_session(conn, data.session_id, data.status, data.reason)

    @activity.defn(name="formation.send_reminders")
    def send_reminders(self, data: SendRemindersInput) -> int:
        with self.db.transaction() as conn:
            return session_steps.send_reminders(conn, data.session_id, data.days_before,
                                               datetime.fromisoformat(data.starts_at)
                                               if data.starts_at else None)

    @activity.defn(name="formation.close_registrations")
    def close_registrations(self, data: CloseRegistrationsInput) -> bool:
        with self.db.transaction() as conn:
            return session_steps.close_registrations(conn, data.session_id,
                                                     datetime.fromisoformat(data.starts_at)
                                                     if data.starts_at else None)

    @activity.defn(name="formation.request_survey")
    def request_survey(self, data: RequestSurveyInput) -> int:
        with self.db.transaction() as conn:
            return session_steps.request_survey(conn, data.session_id)

    def all(self) -> list:
        return [self.close_session, self.send_reminders, self.close_registrations,
                self.request_survey]
