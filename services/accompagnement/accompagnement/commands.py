"""Accompagnement's own commands, beside the shared ``migrate``, ``worker``, ``bus``, ``demo``.

``accompagnement document-warnings [--days 30] [--dry-run]``: announce the vault documents
expiring within ``--days`` (or expired), each once before its end of validity and once after
it, as ``structure.document_expiring`` events that notifications turns into messages. Meant
to run daily (cron, or a Temporal schedule calling it).
"""

from __future__ import annotations

import argparse
from datetime import date, datetime

from centrale.db import Database
from centrale.settings import Settings

from .domain.french import PARIS
from .domain.vault import expiry_warnings
from .store import vault as vault_store
from .store.events import emit


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


def _document_warnings_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--days", type=int, default=30,
                        help="délai d'alerte avant la fin de validité (30 jours par défaut)")
    parser.add_argument("--dry-run", action="store_true", help="compte sans rien annoncer")


def _document_warnings(args: argparse.Namespace, settings: Settings) -> int:
    db = Database.from_settings(settings).open()
    try:
        count = announce_expiring_documents(db, datetime.now(PARIS).date(), args.days,
                                            args.dry_run)
    finally:
        db.close()
    verb = "seraient annoncés" if args.dry_run else "annoncés"
    print(f"accompagnement : {count} document(s) à renouveler {verb}.")
    return 0


COMMANDS = {
    "document-warnings": ("annonce les documents du coffre-fort qui expirent",
                          _document_warnings_arguments, _document_warnings),
}
