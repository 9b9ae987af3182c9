"""The service's commands: expiry warnings announced once, and the demo's dry run, as the
command line runs them."""

import os
import subprocess
import sys
from datetime import date

import pytest

from accompagnement.document_warnings import announce_expiring_documents
from accompagnement.store import vault as vault_store
from centrale.testing import isolated_environment, outbox_events

pytestmark = pytest.mark.integration

# Documents dated around 2000: no other test's document falls in these windows.
TODAY = date(2000, 1, 5)


def test_expiring_documents_are_announced_once_before_and_once_after(db, new_structure):
    structure = new_structure()
    with db.transaction() as conn:
        insurance = vault_store.add_document(conn, structure["id"], "assurance", "RC Pro",
                                             None, date(2000, 1, 20), None, None, None, "test")
        vault_store.add_document(conn, structure["id"], "kbis", "Extrait Kbis",
                                 date(1999, 9, 1), None, None, None, None, "test")
        vault_store.add_document(conn, structure["id"], "attestation_urssaf", "URSSAF",
                                 date(1999, 12, 1), None, None, None, None, "test")

    def announced():
        return [e["data"] for e in outbox_events(db, "structure.document_expiring")
                if e["data"]["structure_id"] == structure["id"]]

    assert announce_expiring_documents(db, TODAY, 30, dry_run=True) == 2
    assert announced() == []
    assert announce_expiring_documents(db, TODAY, 30, dry_run=False) == 2
    # Written in one transaction: compare regardless of their order in the outbox.
    assert sorted((e["kind"], e["valid_until"], e["days_left"], e["message"])
                  for e in announced()) == [
        ("assurance", "2000-01-20", 15,
         "Attestation d'assurance responsabilité civile professionnelle : valable jusqu'au "
         "jeudi 20 janvier 2000 (encore 15 jours), à renouveler."),
        ("kbis", "1999-11-30", -36,
         "Extrait Kbis : validité terminée le mardi 30 novembre 1999, à renouveler."),
    ]
    assert {e["document_id"] for e in announced() if e["kind"] == "assurance"} == {
        insurance["id"]}
    assert announce_expiring_documents(db, TODAY, 30, dry_run=False) == 0  # once
    # Once expired, the insurance is announced again; the Kbis is not.
    assert announce_expiring_documents(db, date(2000, 1, 21), 30, dry_run=False) == 1
    assert announced()[-1]["days_left"] == -1


def run_command(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, **isolated_environment("accompagnement")}
    return subprocess.run([sys.executable, "-m", "accompagnement", *args], env=env,
                          capture_output=True, text=True, timeout=60)


def test_the_command_line_dry_runs():
    warnings = run_command("document-warnings", "--dry-run", "--days", "0")
    assert warnings.returncode == 0, warnings.stderr
    assert warnings.stdout.strip().splitlines()[-1].endswith("seraient annoncés.")
    demo = run_command("demo", "--dry-run")
    assert demo.returncode == 0, demo.stderr
    assert demo.stdout.strip().splitlines()[-1].startswith("accompagnement (simulation) : ")


def test_the_daily_schedule_is_created_once_and_its_workflow_announces(settings, db,
                                                                         new_structure):
    """On the real Temporal dev server, with this test run's task queue: the schedule is
    created, then left alone; triggered, its workflow announces today's expiring documents,
    once, to the structure concerned."""
    from dataclasses import replace
    from datetime import datetime, time, timedelta

    from accompagnement.config import CaseSettings
    from accompagnement.document_warnings import DocumentWarningActivities
    from accompagnement.schedules import daily_warnings
    from accompagnement.document_warnings_workflow import DocumentWarningsWorkflow
    from centrale.french import PARIS
    from centrale.schedules import ensure_schedule
    from centrale.temporal import TemporalBridge
    from centrale.testing import running_worker, wait_until

    structure = new_structure()
    soon = datetime.now(PARIS).date() + timedelta(days=10)
    with db.transaction() as conn:
        vault_store.add_document(conn, structure["id"], "assurance", "RC Pro", None, soon,
                                 None, None, None, "test")
    daily = daily_warnings(settings, CaseSettings())
    bridge = TemporalBridge(settings)

    def ensure(schedule, dry_run=False):
        return bridge.run(lambda client: ensure_schedule(client, schedule, dry_run),
                          timeout=30)

    def delete(client):
        return client.get_schedule_handle(daily.schedule_id).delete()

    def announced():
        return [e["data"] for e in outbox_events(db, "structure.document_expiring")
                if e["data"]["structure_id"] == structure["id"]]

    try:
        assert run_command("schedules", "--dry-run").stdout.strip().endswith(": à créer")
        created = run_command("schedules")
        assert created.returncode == 0, created.stderr
        assert created.stdout.strip().endswith(": créé")
        assert "tous les jours à 6 h 30 (Europe/Paris), workflow DocumentWarnings" in (
            created.stdout)
        assert ensure(daily) == "inchangé"
        later = replace(daily, at=time(7, 15))
        assert (ensure(later, dry_run=True), ensure(later), ensure(later)) == (
            "à mettre à jour", "mis à jour", "inchangé")

        with running_worker(settings, [DocumentWarningsWorkflow],
                            DocumentWarningActivities(db, 30).all()):
            bridge.run(lambda client: client.get_schedule_handle(daily.schedule_id).trigger())
            assert wait_until(announced, timeout=30)
            [warning] = announced()
            assert (warning["kind"], warning["valid_until"], warning["days_left"]) == (
                "assurance", soon.isoformat(), 10)

            async def run_again(client):
                return await client.execute_workflow(
                    DocumentWarningsWorkflow.run, id=f"alertes-documents-test-{structure['id']}",
                    task_queue=settings.task_queue)
            bridge.run(run_again, timeout=30)
            assert len(announced()) == 1  # announced once, however often the day's run comes
    finally:
        try:
            bridge.run(delete)
        except Exception:
            pass
