"""Accompagnement's own commands, beside the shared ``migrate``, ``worker``, ``bus``, ``demo``.

- ``accompagnement document-warnings [--days 30] [--dry-run]``: announce now the vault
  documents expiring within ``--days`` (see :mod:`accompagnement.document_warnings`).
- ``accompagnement announce-structures [--dry-run]``: announce every structure of the registry
  again (``structure.updated``), for a service whose copy of it started after they were
  registered (formation's, since issue 16's point 10).
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


def _dry_run_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="compte sans rien annoncer")


def _announce_structures(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from .store import structures as store

    db = Database.from_settings(settings).open()
    try:
        with db.transaction() as conn:
            total = store.count_structures(conn)
        announced = 0
        with tqdm(total=total, unit="structure", desc="structures") as progress:
            while announced < total and not args.dry_run:
                with db.transaction() as conn:
                    page = store.announce_again(conn, 500, announced)
                if not page:
                    break
                announced += page
                progress.update(page)
    finally:
        db.close()
    if args.dry_run:
        print(f"accompagnement : {total} structure(s) seraient annoncées à nouveau.")
    else:
        print(f"accompagnement : {announced} structure(s) annoncées à nouveau "
              "(structure.updated).")
    return 0


COMMANDS = {
    "announce-structures": ("annonce à nouveau chaque structure du registre aux autres services",
                            _dry_run_argument, _announce_structures),
    "document-warnings": ("annonce les documents du coffre-fort qui expirent",
                          _document_warnings_arguments, _document_warnings),
}
