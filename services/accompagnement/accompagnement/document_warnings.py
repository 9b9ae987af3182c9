"""Expiry warnings of the document vault, announced every day.

Each vault document expiring within the warning delay (30 days by default,
``CENTRALE_ACCOMPAGNEMENT_DOCUMENT_WARNING_DAYS``) is announced once before its end of
validity and once after it, as ``structure.document_expiring`` events that notifications
turns into messages for the structure's contacts. A Temporal Schedule
(``accompagnement schedules``, created by ``make up``) starts the ``DocumentWarnings``
workflow every day at ``CENTRALE_ACCOMPAGNEMENT_DOCUMENT_WARNING_TIME`` (06:30, Paris time),
whose one activity does the announcing; ``accompagnement document-warnings`` does it at once.
Announcing twice the same day is harmless: each warning is recorded once.
"""

from __future__ import annotations

from datetime import date, datetime

from temporalio import activity

from centrale.db import Database

from centrale.french import PARIS
from .domain.vault import expiry_warnings
from .store import vault as vault_store
from .store.events import emit

WORKFLOW_NAME = "DocumentWarnings"
ACTIVITY_NAME = "accompagnement.announce_expiring_documents"


def announce_expiring_documents(db: Database, today: date, days: int, dry_run: bool) -> int:
    """How many warnings were (or, with dry_run, would be) announced."""
    announced = 0
    with db.transaction() as conn:
        by_structure: dict[int, list] = {}
        for row in vault_store.all_documents(conn):
            by_structure.setdefault(row["structure_id"], []).append(vault_store.as_domain(row))
        for structure_id, own in sorted(by_structure.items()):
            for warning in expiry_warnings(own, today, days):
                document_id = int(warning.document.document_id)
                expired = warning.days_left < 0
                if dry_run:
                    announced += not vault_store.warning_sent(conn, document_id,
                                                              warning.valid_until, expired)
                    continue
                if not vault_store.record_warning(conn, document_id, warning.valid_until,
                                                  expired):
                    continue
                emit(conn, "structure.document_expiring", f"structure:{structure_id}", {
                    "structure_id": structure_id, "document_id": document_id,
                    "kind": warning.document.kind.value, "label": warning.document.kind.label,
                    "valid_until": warning.valid_until.isoformat(),
                    "days_left": warning.days_left, "message": warning.message})
                announced += 1
    return announced


class DocumentWarningActivities:
    def __init__(self, db: Database, days: int) -> None:
        self.db = db
        self.days = days

    @activity.defn(name=ACTIVITY_NAME)
    def announce(self) -> int:
        """Today's warnings (Paris date); how many were announced."""
        return announce_expiring_documents(self.db, datetime.now(PARIS).date(), self.days,
                                           dry_run=False)

    def all(self) -> list:
        return [self.announce]
