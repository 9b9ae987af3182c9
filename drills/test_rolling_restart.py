"""Rolling-restart drill: every process of the platform as ``make up`` runs it, with two
replicas of each worker and bus process (CENTRALE_REPLICAS), restarted one at a time while
``make load`` (bench.load: tender search and the case board) runs — not one request fails.
Web processes reload (gunicorn's graceful reload, the local form of a rolling update); workers
and bus processes stop on SIGTERM and a new one starts, while their other replica goes on."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from centrale.local_platform import delete_bus_queues, isolated_platform
from centrale.settings import load_settings
from centrale.testing import TEST_SECRET

pytestmark = [pytest.mark.integration, pytest.mark.timeout(480)]

ROOT = Path(__file__).resolve().parents[1]
REPLICAS = int(load_settings("drills").option("REPLICAS", "2"))
# The load lasts as long as the restarts (and a little more), at most this long.
LOAD_MAX_SECONDS = 300
LOAD_RATE = 20


def load_totals(output: str) -> tuple[int, int, float]:
    """(requests, errors, achieved rate) of bench.load's « total » line."""
    match = re.search(r"^total\s+(\d+)\s+(\d+)\s+([\d.]+)", output, re.M)
    assert match, output
    return int(match.group(1)), int(match.group(2)), float(match.group(3))


def test_a_rolling_restart_of_every_process_under_load_fails_no_request(tmp_path):
    platform, web_ports = isolated_platform(tmp_path, replicas=REPLICAS, web_workers=2)
    procs = platform.procs
    base = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}
    platform.start()
    load = None
    stop = tmp_path / "fin-de-charge"
    try:
        platform.wait_healthy(timeout_s=180)
        assert len(procs) == 5 + 2 * 4 * REPLICAS
        load = subprocess.Popen(
            [sys.executable, "-m", "bench.load", "--seconds", str(LOAD_MAX_SECONDS),
             "--rate", str(LOAD_RATE), "--no-write", "--stop-file", str(stop),
             "--veille-url", f"http://127.0.0.1:{web_ports['veille']}",
             "--accompagnement-url", f"http://127.0.0.1:{web_ports['accompagnement']}"],
            cwd=ROOT, env={**base, "CENTRALE_TOKEN_SECRET": TEST_SECRET},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        time.sleep(5)  # the load is on
        started = time.monotonic()
        durations = {}
        for proc in procs:
            assert load.poll() is None, "the load ended before the restarts did"
            durations[proc.name] = platform.restart(proc)
        restarts_s = time.monotonic() - started
        time.sleep(5)  # the load goes on a moment after the last restart
        assert load.poll() is None, \
            f"the restarts outlasted the load ({restarts_s:.0f} s > {LOAD_MAX_SECONDS} s)"
        stop.touch()
        output, _ = load.communicate(timeout=60)
    finally:
        if load is not None and load.poll() is None:
            load.kill()
        platform.stop()
        delete_bus_queues()
    assert load.returncode == 0, output
    requests_made, errors, achieved = load_totals(output)
    print(f"\n{len(procs)} processus redémarrés un à un en {restarts_s:.0f} s "
          f"(le plus long : {max(durations, key=durations.get)} "
          f"{max(durations.values()):.1f} s) ; charge : {requests_made} requêtes, "
          f"{errors} erreurs, {achieved} req/s\n{output}")
    assert len(durations) == len(procs)
    assert requests_made >= (restarts_s + 5) * LOAD_RATE * 0.8
    assert errors == 0, output
