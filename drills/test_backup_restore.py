"""Backup drill: ``make backup`` then ``make restore`` (deploy/backup.py) into fresh databases
finds every tender, case and registration again, row for row. Touches no shared server: it
dumps this session's test databases and restores them under new names."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import psycopg
import pytest

from accompagnement.demo import demo_data
from accompagnement.store import cases as case_store
from accompagnement.store import structures as structure_store
from centrale.db import Database
from centrale.testing import prepared_settings
from formation.registrations import register as register_person
from formation.sessions import schedule_session
from formation.store.modules import upsert_module
from formation.domain.catalogue import CATALOGUE
from veille.ingest import ingest_files

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
BACKUP = [sys.executable, str(ROOT / "deploy" / "backup.py")]
SUFFIX = "_restauree"
# What must come back: (service, table, the columns that say it is the same row). Not its
# stage or status: the session's databases are shared with the workflows of earlier tests,
# which may still move a case or a registration between the fingerprint and the dump.
CHECKED = [("veille", "tenders", "id, procedure_key, title, buyer_name"),
           ("accompagnement", "cases", "id, structure_id, title, opened_at"),
           ("formation", "registrations", "id, session_id, email, created_at")]


def fill(service: str) -> None:
    """Tenders, cases and registrations written the way the services write them."""
    settings = prepared_settings(service)
    db = Database.from_settings(settings).open()
    try:
        if service == "veille":
            ingest_files(db, settings, [ROOT / "services/veille/veille/demo_data"], progress=False)
        elif service == "accompagnement":
            with db.transaction() as conn:
                structure = demo_data()["structures"][1]
                structure_id = structure_store.id_of_siret(conn, structure["siret"])
                if structure_id is None:
                    structure_id = structure_store.create_structure(conn, {
                        **{k: v for k, v in structure.items() if k != "documents"},
                        "departement": structure["address"]["postal_code"][:2]})["id"]
                for n in range(25):
                    case_store.open_case(conn, structure_id, None,
                                         f"Devis n° {n} : entretien des espaces verts",
                                         "user:exercice", kind="private_quote",
                                         buyer_name="Mairie de Firminy",
                                         deadline=datetime.now(timezone.utc) + timedelta(days=30))
        else:
            module = CATALOGUE[0]
            with db.transaction() as conn:
                upsert_module(conn, module.code, module.title, module.objectives,
                              module.duration_h)
                starts = datetime.now(timezone.utc).replace(microsecond=0) + timedelta(days=60)
                session = schedule_session(conn, {
                    "module_code": module.code, "starts_at": starts,
                    "ends_at": starts + timedelta(hours=3), "place": "Saint-Étienne",
                    "trainer": "Claire Exercice", "capacity": 10})
            for n in range(14):  # 10 seats, then the waitlist
                with db.transaction() as conn:
                    register_person(conn, session["id"], {
                        "structure_id": 1, "name": f"Personne {n}",
                        "email": f"personne{n}.exercice@example.org"}, "user:exercice",
                        datetime.now(timezone.utc))
    finally:
        db.close()


def fingerprint(dsn: str, table: str, columns: str) -> tuple[int, str]:
    with psycopg.connect(dsn) as conn:
        rows = conn.execute(f"SELECT {columns} FROM {table} ORDER BY id").fetchall()
    return len(rows), hashlib.sha256(repr(rows).encode()).hexdigest()


def run(*args) -> subprocess.CompletedProcess:
    return subprocess.run([*BACKUP, *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "shared")})


def exists(settings, name: str) -> bool:
    with psycopg.connect(settings.dsn_for("postgres")) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                            (name,)).fetchone() is not None


def test_a_backup_restored_into_fresh_databases_finds_every_row_again(tmp_path):
    for service, _table, _columns in CHECKED:
        fill(service)
    settings = {service: prepared_settings(service) for service, _t, _c in CHECKED}
    before = {service: fingerprint(settings[service].db_dsn, table, columns)
              for service, table, columns in CHECKED}
    assert before["veille"][0] >= 3 and before["accompagnement"][0] >= 25 \
        and before["formation"][0] >= 14

    target = tmp_path / "sauvegarde"
    databases = [s.db_name for s in settings.values()]
    made = run("backup", "--to", str(target), "--databases", *databases)
    assert made.returncode == 0, made.stderr
    manifest = json.loads((target / "manifest.json").read_text())
    assert set(manifest["databases"]) == set(databases)
    for service, table, _columns in CHECKED:
        rows = manifest["databases"][settings[service].db_name]["rows"]
        assert rows[f"public.{table}"] == before[service][0]

    # The dry run restores nothing.
    planned = run("restore", str(target), "--into-suffix", SUFFIX, "--dry-run")
    assert planned.returncode == 0, planned.stderr
    assert all(f"{name}.dump → {name}{SUFFIX}" in planned.stdout for name in databases)
    assert not any(exists(settings["veille"], name + SUFFIX) for name in databases)
    # Replacing the live databases needs saying so.
    assert run("restore", str(target)).returncode == 2

    restored = run("restore", str(target), "--into-suffix", SUFFIX)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    for service, table, columns in CHECKED:
        copy = settings[service].dsn_for(settings[service].db_name + SUFFIX)
        assert fingerprint(copy, table, columns) == before[service], (service, table)
    # Restoring over an existing database is refused, not merged.
    assert run("restore", str(target), "--into-suffix", SUFFIX).returncode != 0
