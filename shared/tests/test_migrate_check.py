"""``S migrate --check``: what a Kubernetes pod's init container waits on — non-zero while a
migration is pending, zero once the migrate Job applied them, and nothing applied by asking."""

import os
import subprocess
import sys
from dataclasses import replace

import pytest

from centrale.testing import isolated_environment, prepared_settings, recreate_database

pytestmark = pytest.mark.integration


def check(env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "formation", "migrate", "--check"], env=env,
                          capture_output=True, text=True, timeout=60)


def test_check_fails_while_migrations_are_pending_and_passes_once_applied():
    migrated = {**os.environ, **isolated_environment("formation")}
    done = check(migrated)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 migration(s) en attente" in done.stdout

    fresh = replace(prepared_settings("formation"),
                    db_name=prepared_settings("formation").db_name + "_vide")
    recreate_database(fresh)
    pending = check({**migrated, "CENTRALE_DB_NAME": fresh.db_name})
    assert pending.returncode == 1, pending.stdout + pending.stderr
    assert "0001_sessions" in pending.stdout
    # Asking twice finds the same: --check applied nothing.
    assert check({**migrated, "CENTRALE_DB_NAME": fresh.db_name}).returncode == 1
