"""Accompagnement's own commands, beside the shared ``migrate``, ``worker``, ``bus``, ``demo``.

- ``accompagnement document-warnings [--days 30] [--dry-run]``: announce now the vault
  documents expiring within ``--days`` (see :mod:`accompagnement.document_warnings`).
(``accompagnement schedules [--dry-run]``, shared by every service, plans the same every day:
``schedules.py``.)
"""

from __future__ import annotations

import argparse
from datetime import datetime

from centrale.db import Database
from centrale.french import PARIS
from centrale.settings import Settings

from .config import case_settings
from .document_warnings import announce_expiring_documents


def _document_warnings_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--days", type=int, default=None,
                        help="délai d'alerte avant la fin de validité (par défaut "
                             "CENTRALE_ACCOMPAGNEMENT_DOCUMENT_WARNING_DAYS, 30 jours)")
    parser.add_argument("--dry-run", action="store_true", help="compte sans rien annoncer")


def _document_warnings(args: argparse.Namespace, settings: Settings) -> int:
    days = args.days if args.days is not None else case_settings(settings).document_warning_days
    db = Database.from_settings(settings).open()
    try:
        count = announce_expiring_documents(db, datetime.now(PARIS).date(), days, args.dry_run)
    finally:
        db.close()
    verb = "seraient annoncés" if args.dry_run else "annoncés"
    print(f"accompagnement : {count} document(s) à renouveler {verb}.")
    return 0


COMMANDS = {
    "document-warnings": ("annonce les documents du coffre-fort qui expirent",
                          _document_warnings_arguments, _document_warnings),
}
