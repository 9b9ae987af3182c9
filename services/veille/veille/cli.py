"""Veille's own commands: normalize, import, cpv (reference data), renewals; ``veille
schedules`` (the live polls, the daily renewals) is every service's, from ``schedules.py``."""

from __future__ import annotations

import argparse
from datetime import date, datetime
from pathlib import Path

from centrale.db import Database
from centrale.french import PARIS
from centrale.settings import Settings

from . import renewals
from .domain.cpv import read_cpv_file
from .ingest import ingest_files
from .normalize_cli import main as normalize_main
from .store.cpv import upsert_codes


def add_normalize_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE")


def run_normalize(args: argparse.Namespace, settings: Settings) -> int:
    return normalize_main(args.files)


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="FILE|DIR")
    parser.add_argument("--dry-run", action="store_true", help="lit et compte, n'écrit rien")


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    db = None if args.dry_run else Database.from_settings(settings).open()
    report = ingest_files(db, settings, args.paths, dry_run=args.dry_run)
    if db is not None:
        db.close()
    print(report.summary(args.dry_run))
    return 1 if report.failed_files else 0


def add_cpv_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="traductions eForms (code_fr.xml) ou CPV officiel en XML")
    parser.add_argument("--dry-run", action="store_true", help="lit et compte, n'écrit rien")


def run_cpv(args: argparse.Namespace, settings: Settings) -> int:
    entries = {}
    for name in args.files:
        try:
            for entry in read_cpv_file(Path(name).read_bytes(), name):
                entries[entry.code] = entry
        except (OSError, ValueError) as exc:
            print(f"veille cpv : {name} : {exc}")
            return 1
    if args.dry_run:
        print(f"veille cpv (simulation) : {len(entries)} codes lus, rien n'est écrit")
        return 0
    db = Database.from_settings(settings).open()
    with db.transaction() as conn:
        count = upsert_codes(conn, entries.values())
    db.close()
    print(f"veille cpv : {count} codes CPV à jour")
    return 0


def add_renewals_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--today", type=date.fromisoformat, default=None, metavar="AAAA-MM-JJ",
                        help="le jour pris pour aujourd'hui (par défaut, aujourd'hui à Paris)")
    parser.add_argument("--dry-run", action="store_true", help="compte, n'écrit rien")


def run_renewals(args: argparse.Namespace, settings: Settings) -> int:
    db = Database.from_settings(settings).open()
    report = renewals.refresh(db, args.today or datetime.now(PARIS).date(), args.dry_run)
    db.close()
    print(f"veille renewals : {report.summary(args.dry_run)}")
    return 0


COMMANDS = {
    "normalize": ("affiche chaque avis normalisé en JSON, un par ligne",
                  add_normalize_arguments, run_normalize),
    "import": ("importe des fichiers d'avis dans la base", add_import_arguments, run_import),
    "renewals": ("recalcule les renouvellements attendus et prévient les structures",
                 add_renewals_arguments, run_renewals),
    "cpv": ("charge la nomenclature CPV (libellés français, hiérarchie)",
            add_cpv_arguments, run_cpv),
}
