"""The new migrations apply over a database that already holds cases opened before the
registry existed (bare structure numbers, no tender), as the demo left them."""

import shutil
from dataclasses import replace

import psycopg
import pytest

from accompagnement.app import create_app
from accompagnement.service import definition
from centrale.auth import service_token
from centrale.migrations import migrate
from centrale.testing import RUN_ID, bearer, isolated_settings, recreate_database

pytestmark = pytest.mark.integration


def test_the_registry_migrations_apply_over_earlier_cases(tmp_path):
    settings = replace(isolated_settings("accompagnement"),
                       db_name=f"test_{RUN_ID}_accompagnement_upgrade")
    recreate_database(settings)
    folder = definition().migrations
    earlier = tmp_path / "migrations"
    earlier.mkdir()
    shutil.copy(folder / "0001_cases.sql", earlier)
    assert migrate(settings, earlier) == ["0000_centrale_bus", "0001_centrale_outbox_order",
                                         "0002_centrale_outbox_trace",
                                         "0001_cases"]
    with psycopg.connect(settings.db_dsn, autocommit=True) as conn:
        conn.execute("INSERT INTO cases (structure_id, title, opened_by, workflow_id) VALUES"
                     " (1, 'Nettoyage de la médiathèque', 'user:demo', 'case-1-x'),"
                     " (3, 'Restauration scolaire', 'user:demo', 'case-2-x')")

    assert migrate(settings, folder) == ["0002_registry_and_cases", "0003_document_warnings",
                                         "0004_advisor_day", "0005_tender_results",
                                         "0006_public_directory", "0007_clause_followup",
                                         "0008_official_changes"]
    with psycopg.connect(settings.db_dsn, autocommit=True) as conn:
        kept = conn.execute("SELECT structure_id, kind, stage FROM cases ORDER BY id").fetchall()
        assert kept == [(1, "tender", "diagnosis"), (3, "tender", "diagnosis")]
        # New cases must name a registered structure.
        with pytest.raises(psycopg.errors.ForeignKeyViolation):
            conn.execute("INSERT INTO cases (structure_id, title, opened_by) VALUES"
                         " (99, 'Sans structure', 'user:x')")
    # Such a case is read, but what needs its structure asks for it to be registered.
    app = create_app(settings)
    staff = bearer(service_token(settings.token_secret, "tests"))
    [case_id] = [case["id"] for case in app.test_client().get("/api/cases", headers=staff).json
                 if case["structure_id"] == 1]
    refused = app.test_client().get(f"/api/cases/{case_id}/diagnosis/suggestions",
                                    headers=staff)
    assert refused.status_code == 409
    assert refused.json["detail"] == ("La structure n° 1 du dossier n'est pas inscrite au "
                                      "registre : inscrivez-la d'abord.")
    app.extensions["centrale"].db.close()
    with psycopg.connect(settings.dsn_for("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE "{settings.db_name}" WITH (FORCE)')
