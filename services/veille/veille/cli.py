"""Veille's own commands: ``veille normalize FILE...`` and ``veille import FILE...|DIR``."""

from __future__ import annotations

import argparse

from centrale.db import Database
from centrale.settings import Settings

from .ingest import ingest_files
from .normalize_cli import main as normalize_main


def add_normalize_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", metavar="FILE")


def run_normalize(args: argparse.Namespace, settings: Settings) -> int:
    return normalize_main(args.files)


def add_import_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="FILE|DIR")
    parser.add_argument("--dry-run", action="store_true", help="lit et compte, n'écrit rien")


def run_import(args: argparse.Namespace, settings: Settings) -> int:
    db = None if args.dry_run else Database.from_settings(settings).open()
    report = ingest_files(db, args.paths, dry_run=args.dry_run)
    if db is not None:
        db.close()
    print(report.summary(args.dry_run))
    return 1 if report.failed_files else 0


COMMANDS = {
    "normalize": ("affiche chaque avis normalisé en JSON, un par ligne",
                  add_normalize_arguments, run_normalize),
    "import": ("importe des fichiers d'avis dans la base", add_import_arguments, run_import),
}
