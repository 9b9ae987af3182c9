"""Cases driven through every stage on the Temporal dev server: accompagnement's API in
process, its worker in a thread, eight advisors working at once."""

from __future__ import annotations

import os
import sys
import time
import uuid
from pathlib import Path
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from accompagnement.app import create_app
from accompagnement.demo import demo_data
from accompagnement.service import definition
from centrale.auth import service_token
from centrale.db import Database
from centrale.migrations import migrate
from centrale.settings import load_settings
from centrale.testing import free_port, processes, recreate_database, wait_for_port

from .memory import peak_rss_mib

CASES = int(os.environ.get("BENCH_CASES", "100"))
PATH = ("drafting", "review", "submission", "awaiting_result")


def in_memory_temporal():
    """A Temporal dev server of the benchmark's own, in memory: the shared one keeps its
    history in SQLite on disk, whose writes would be what is measured."""
    port = free_port()
    command = [str(Path(sys.executable).parent / "temporal"), "server", "start-dev",
               "--headless", "--ip", "127.0.0.1", "--port", str(port), "--log-level", "error"]
    return port, (command, dict(os.environ))


def cpu_seconds(pid: int) -> float:
    """User + system CPU time a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy_seconds() -> float:
    """CPU time all processes of the machine have used so far, every core together (Linux)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run(cases: int = CASES, concurrency: int = 16) -> dict:
    port, temporal = in_memory_temporal()
    with processes(temporal) as (server,):
        wait_for_port(port)
        time.sleep(2)
        return drive_cases(cases, concurrency, f"127.0.0.1:{port}", server.pid)


def drive_cases(cases: int, concurrency: int, temporal_address: str,
                server_pid: int | None = None) -> dict:
    settings = replace(load_settings("accompagnement"), db_name="bench_accompagnement",
                       task_queue=f"bench-cases-{uuid.uuid4().hex[:6]}",
                       temporal_address=temporal_address)
    recreate_database(settings)
    migrate(settings, definition().migrations)
    app = create_app(settings)
    headers = {"Authorization": f"Bearer {service_token(settings.require_token_secret(), 'bench', ttl_s=3600)}"}
    structure = {k: v for k, v in demo_data()["structures"][0].items()
                 if not k.startswith("_") and k != "documents"}
    client = app.test_client()
    structure_id = client.post("/api/structures", json=structure, headers=headers).json["id"]
    deadline = (datetime.now(timezone.utc) + timedelta(days=40)).isoformat()
    db = Database.from_settings(settings).open()

    def drive(number: int) -> None:
        local = app.test_client()
        case = local.post("/api/cases", headers=headers, json={
            "structure_id": structure_id, "title": f"Devis n° {number}",
            "buyer_name": "Acheteur privé", "deadline": deadline}).json
        for stage in PATH:
            response = local.post(f"/api/cases/{case['id']}/stage", json={"stage": stage},
                                  headers=headers)
            assert response.status_code == 200, response.json
        response = local.post(f"/api/cases/{case['id']}/outcome", headers=headers,
                              json={"outcome": "won", "amount": 12000})
        assert response.status_code == 200, response.json

    # The worker in its own process, as in production (`accompagnement worker`).
    env = {**os.environ, "CENTRALE_DB_NAME": settings.db_name,
           "CENTRALE_TASK_QUEUE": settings.task_queue,
           "CENTRALE_TEMPORAL_ADDRESS": temporal_address}
    worker = [str(Path(sys.executable).parent / "accompagnement"), "worker"]
    with processes((worker, env)) as (worker_process,):
        time.sleep(3)  # the worker connects and polls
        pids = {"temporal_server": server_pid, "worker": worker_process.pid,
                "api_and_driver": os.getpid()}
        cpu_before = {name: cpu_seconds(pid) for name, pid in pids.items() if pid}
        busy_before = machine_busy_seconds()
        started = time.perf_counter()
        with ThreadPoolExecutor(concurrency) as pool:
            list(pool.map(drive, range(cases)))
        elapsed = time.perf_counter() - started
        # What bounds the figure: CPU time per case of each process (two cores in all).
        cpu_ms = {f"cpu_ms_per_case_{name}": round(1000 * (cpu_seconds(pids[name]) - before)
                                                   / cases, 1)
                  for name, before in cpu_before.items()}
        # Everything, PostgreSQL's backends included, against the two cores' 2,000 ms a second.
        cpu_ms["cpu_ms_per_case_whole_machine"] = round(
            1000 * (machine_busy_seconds() - busy_before) / cases, 1)
        memory = {"worker_peak_rss_mib": peak_rss_mib(worker_process.pid)}
        if server_pid:
            memory["temporal_server_peak_rss_mib"] = peak_rss_mib(server_pid)
    with db.transaction() as conn:
        won = conn.execute("SELECT count(*) AS n FROM cases WHERE stage = 'won'").fetchone()["n"]
    db.close()
    app.extensions["centrale"].db.close()
    return {"cases": cases, "won": won, "stages_per_case": len(PATH) + 1,
            "concurrency": concurrency, "temporal": "dev server, in memory",
            "cases_per_s": round(cases / elapsed, 1), **cpu_ms, **memory}
