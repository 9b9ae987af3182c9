"""Backups of the platform's databases, and their restore (``make backup``, ``make restore``).

    python deploy/backup.py backup [--to DIR] [--databases DB ...] [--dry-run]
    python deploy/backup.py restore [DIR] (--into-suffix SUFFIX | --replace --yes) [--dry-run]

``backup`` writes one ``pg_dump --format=custom`` per database (each consistent in itself: one
snapshot per database), the rows of every table counted in that same snapshot in
``manifest.json``, and, when the local Temporal dev server keeps its state in
``.run/temporal.db``, an online copy of that SQLite file (Temporal's persistence in Compose and
on Kubernetes: deploy/README.md, Backups). ``restore`` recreates each database from its dump
(``pg_restore``): into fresh databases named ``<database><suffix>`` (the drill, or to look
without touching anything), or in place of the live ones with ``--replace --yes`` (services
stopped: their connections are cut). Then every table's rows are counted again and compared
with the manifest; any difference fails the restore. ``--dry-run`` says what would be done.

Connection settings are the services' own (``CENTRALE_PG_*``); the databases are the services'
(``centrale_<service>`` unless ``CENTRALE_<SERVICE>_DB`` says otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import psycopg
from psycopg import sql
from tqdm import tqdm

from centrale.settings import load_settings

ROOT = Path(__file__).resolve().parents[1]
SERVICES = ("veille", "accompagnement", "formation", "notifications", "portail")
BACKUPS = ROOT / ".run" / "backups"
TEMPORAL_DB = ROOT / ".run" / "temporal.db"


def pg_environment(settings) -> dict[str, str]:
    return {**os.environ, "PGHOST": settings.pg_host, "PGPORT": str(settings.pg_port),
            "PGUSER": settings.pg_user, "PGPASSWORD": settings.pg_password}


def default_databases() -> list[str]:
    return [load_settings(service).db_name for service in SERVICES]


def count_rows(conn) -> dict[str, int]:
    tables = [row[0] for row in conn.execute(
        "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY 1")]
    return {table: conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in tables}


def table_counts(dsn: str) -> dict[str, int]:
    """Rows of every table of the database, read in one snapshot."""
    with psycopg.connect(dsn) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return count_rows(conn)


def dump_database(settings, name: str, dump: Path) -> dict[str, int]:
    """pg_dump of one database; return its tables' rows counted in the very snapshot the dump
    reads (exported by this transaction, kept open while pg_dump runs)."""
    with psycopg.connect(settings.dsn_for(name)) as conn:
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = count_rows(conn)
        subprocess.run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                        f"--snapshot={snapshot}", f"--file={dump}", name],
                       env=pg_environment(settings), check=True)
    return counts


def backup(args) -> int:
    settings = load_settings("centrale")
    databases = args.databases or default_databases()
    target = Path(args.to) if args.to else \
        BACKUPS / datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    if args.dry_run:
        print(f"simulation : {len(databases)} base(s) seraient sauvegardées dans {target} :")
        for name in databases:
            print(f"  {name}")
        if TEMPORAL_DB.exists() and not args.databases:
            print(f"  Temporal (SQLite) : {TEMPORAL_DB}")
        return 0
    target.mkdir(parents=True, exist_ok=False)
    manifest = {"taken_at": datetime.now(timezone.utc).isoformat(), "databases": {}}
    for name in tqdm(databases, desc="sauvegarde", unit="base"):
        dump = target / f"{name}.dump"
        counts = dump_database(settings, name, dump)
        manifest["databases"][name] = {"file": dump.name, "bytes": dump.stat().st_size,
                                       "rows": counts}
    if TEMPORAL_DB.exists() and not args.databases:
        copy = target / "temporal.db"
        with sqlite3.connect(TEMPORAL_DB) as source, sqlite3.connect(copy) as destination:
            source.backup(destination)  # consistent while the dev server writes
        manifest["temporal_sqlite"] = copy.name
    (target / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"{len(databases)} base(s) sauvegardée(s) dans {target}")
    return 0


def restore_into(settings, dump: Path, name: str, replace: bool = False) -> None:
    with psycopg.connect(settings.dsn_for("postgres"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                              (name,)).fetchone()
        if exists and not replace:
            raise SystemExit(f"la base {name} existe déjà : choisissez un autre suffixe")
        if exists:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    subprocess.run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error",
                    f"--dbname={name}", str(dump)], env=pg_environment(settings), check=True)


def latest_backup() -> Path:
    found = sorted(p for p in BACKUPS.glob("*") if (p / "manifest.json").exists())
    if not found:
        raise SystemExit(f"aucune sauvegarde dans {BACKUPS} : make backup d'abord")
    return found[-1]


def restore(args) -> int:
    settings = load_settings("centrale")
    source = Path(args.source) if args.source else latest_backup()
    manifest = json.loads((source / "manifest.json").read_text())
    databases = list(manifest["databases"])
    if not args.into_suffix and not (args.replace and args.yes) and not args.dry_run:
        print("restaurer à la place des bases actuelles efface ce qu'elles ont reçu depuis la "
              f"sauvegarde du {manifest['taken_at']} : --replace --yes (services arrêtés), "
              "ou --into-suffix _restauree pour des bases neuves, ou --dry-run", file=sys.stderr)
        return 2
    targets = {name: name + (args.into_suffix or "") for name in databases}
    if args.dry_run:
        mode = "à la place des bases actuelles" if not args.into_suffix else "dans des bases neuves"
        print(f"simulation : {source} ({manifest['taken_at']}) serait restaurée {mode} :")
        for name, target in targets.items():
            print(f"  {name}.dump → {target}")
        if manifest.get("temporal_sqlite"):
            print(f"  temporal.db → {TEMPORAL_DB} (Temporal arrêté, à copier à la main)")
        return 0
    report = {}
    for name, target in tqdm(targets.items(), desc="restauration", unit="base"):
        dump = source / manifest["databases"][name]["file"]
        restore_into(settings, dump, target, replace=bool(args.replace))
        report[target] = table_counts(settings.dsn_for(target))
    # Every table restored whole: as many rows as the dump's snapshot had.
    mismatches = [target for name, target in targets.items()
                  if report[target] != manifest["databases"][name]["rows"]]
    for target, counts in report.items():
        print(f"  {target} : {sum(counts.values())} lignes dans {len(counts)} tables")
    if mismatches:
        print(f"restauration incomplète : {', '.join(mismatches)}", file=sys.stderr)
        return 1
    print(f"{len(targets)} base(s) restaurée(s) depuis {source}")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("backup", help="pg_dump de chaque base (et l'état du Temporal local)")
    p.add_argument("--to", help="dossier à créer (défaut : .run/backups/<date UTC>)")
    p.add_argument("--databases", nargs="+", help="bases à sauvegarder (défaut : les services)")
    p.add_argument("--dry-run", action="store_true", help="montre sans rien écrire")
    p = sub.add_parser("restore", help="recrée les bases depuis une sauvegarde")
    p.add_argument("source", nargs="?", help="dossier de la sauvegarde (défaut : la dernière)")
    p.add_argument("--into-suffix", help="restaure dans des bases neuves <base><suffixe>")
    p.add_argument("--replace", action="store_true", help="remplace les bases actuelles")
    p.add_argument("--yes", action="store_true", help="confirme --replace")
    p.add_argument("--dry-run", action="store_true", help="montre sans rien changer")
    args = parser.parse_args(argv)
    return backup(args) if args.command == "backup" else restore(args)


if __name__ == "__main__":
    sys.exit(main())
