"""Start, stop and inspect the platform's own processes on a developer's machine.

``make up`` calls ``start``: for every service, its web server (gunicorn), its Temporal worker
and its bus process (outbox relay + consumer), each with a pid file in ``.run/pids`` and a log
in ``.run/logs``; ``CENTRALE_REPLICAS=2`` runs two of every worker and bus process (they share
their task queue and their bus queues). Then Prometheus (Debian's, installed by infra.sh),
scraping every process: web processes on ``/metrics``, workers and bus processes on their
metrics port, each Temporal worker on the SDK's own port too. A process whose pid file names a
live process is left alone, so running it twice is harmless. ``make down`` calls ``stop``:
each process named by a pid file gets SIGTERM, then SIGKILL if it lingers.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / ".run"
VENV_BIN = ROOT / ".venv" / "bin"
SERVICES = {"veille": 8001, "accompagnement": 8002, "formation": 8003, "notifications": 8004,
            "portail": 8000}
# The portail has no workflow and no event to consume: its web process alone.
WEB_ONLY = {"portail"}
INFRA_PIDS = ("temporal", "smtp")
PROMETHEUS_PORT = 9090
# Metrics ports: 91sr (worker), 92sr (the worker's Temporal SDK), 93sr (bus), for service
# number s (veille 1 … notifications 4) and replica r (1 to 9).
METRICS_BASE = {"worker": 9100, "worker-temporal": 9200, "bus": 9300}
SERVICE_NUMBER = {"veille": 1, "accompagnement": 2, "formation": 3, "notifications": 4}


@dataclass
class Proc:
    """One OS process of the platform and what Prometheus scrapes of it."""

    name: str
    service: str
    role: str
    replica: int
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    # (role label, port) of each metrics endpoint: a worker has two.
    scrape: list[tuple[str, int]] = field(default_factory=list)


def replicas_wanted() -> int:
    raw = os.environ.get("CENTRALE_REPLICAS", "1") or "1"
    count = int(raw)
    if not 1 <= count <= 9:
        raise SystemExit(f"CENTRALE_REPLICAS doit être entre 1 et 9, reçu {raw}")
    return count


def local_metrics_port(service: str, role: str, replica: int) -> int:
    return METRICS_BASE[role] + 10 * SERVICE_NUMBER[service] + replica


def web_command(service: str, port: int, workers: int = 2) -> list[str]:
    return [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
            f"{service}.app:create_app()"]


def plan(services: list[str], replicas: int, web_port=SERVICES.get,
         metrics_port=local_metrics_port, web_workers: int = 2) -> list[Proc]:
    """Every process of ``services``, ``replicas`` of each worker and bus process."""
    procs = []
    for service in services:
        port = web_port(service)
        procs.append(Proc(f"{service}-web", service, "web", 1,
                          web_command(service, port, web_workers), {}, [("web", port)]))
        if service in WEB_ONLY:
            continue
        for replica in range(1, replicas + 1):
            suffix = "" if replica == 1 else f"-{replica}"
            worker_port = metrics_port(service, "worker", replica)
            sdk_port = metrics_port(service, "worker-temporal", replica)
            procs.append(Proc(f"{service}-worker{suffix}", service, "worker", replica,
                              [str(VENV_BIN / service), "worker"],
                              {"CENTRALE_METRICS_PORT": str(worker_port),
                               "CENTRALE_TEMPORAL_METRICS_PORT": str(sdk_port)},
                              [("worker", worker_port), ("worker-temporal", sdk_port)]))
            bus_port = metrics_port(service, "bus", replica)
            procs.append(Proc(f"{service}-bus{suffix}", service, "bus", replica,
                              [str(VENV_BIN / service), "bus"],
                              {"CENTRALE_METRICS_PORT": str(bus_port)}, [("bus", bus_port)]))
    return procs


def prometheus_config(procs: list[Proc], rules: Path, interval_s: int = 15) -> str:
    """Prometheus's configuration: one target per metrics endpoint, labelled with its service,
    role and replica (what the alerting rules group by)."""
    lines = ["global:", f"  scrape_interval: {interval_s}s", f"  evaluation_interval: {interval_s}s",
             "rule_files:", f"  - {rules}", "scrape_configs:", "  - job_name: centrale",
             "    static_configs:"]
    for proc in procs:
        for role, port in proc.scrape:
            lines += [f"      - targets: ['127.0.0.1:{port}']",
                      f"        labels: {{service: {proc.service}, role: {role},"
                      f" replica: '{proc.replica}', process: {proc.name}}}"]
    return "\n".join(lines) + "\n"


def pid_alive(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None


def start(services: list[str], replicas: int = 1) -> list[Proc]:
    (RUN / "pids").mkdir(parents=True, exist_ok=True)
    (RUN / "logs").mkdir(parents=True, exist_ok=True)
    procs = plan(services, replicas)
    for proc in procs:
        launch(proc.name, proc.argv, proc.env)
    return procs


def launch(name: str, argv: list[str], env: dict[str, str] | None = None) -> None:
    pid_file = RUN / "pids" / f"{name}.pid"
    if pid_alive(pid_file):
        return
    with open(RUN / "logs" / f"{name}.log", "ab") as log:
        process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, cwd=ROOT, start_new_session=True,
                                   env={**os.environ, **(env or {})})
    pid_file.write_text(str(process.pid))
    print(f"  démarré {name} (pid {process.pid})")


def start_prometheus(procs: list[Proc]) -> None:
    """Debian's Prometheus scraping every process; reloaded (SIGHUP) if it already runs."""
    directory = RUN / "prometheus"
    directory.mkdir(parents=True, exist_ok=True)
    config = directory / "prometheus.yml"
    config.write_text(prometheus_config(procs, ROOT / "deploy" / "prometheus" / "alerts.yml"))
    pid = pid_alive(RUN / "pids" / "prometheus.pid")
    if pid:
        os.kill(pid, signal.SIGHUP)
        return
    prometheus = "/usr/bin/prometheus"
    if not Path(prometheus).exists():
        print("  prometheus absent : bash deploy/local/infra.sh prometheus", file=sys.stderr)
        return
    launch("prometheus", [prometheus, f"--config.file={config}",
                          f"--storage.tsdb.path={directory / 'data'}",
                          "--storage.tsdb.retention.time=7d",
                          f"--web.listen-address=127.0.0.1:{PROMETHEUS_PORT}"])


def wait_ready(services: list[str], timeout_s: float = 90) -> bool:
    deadline = time.monotonic() + timeout_s
    pending = set(services)
    while pending and time.monotonic() < deadline:
        for service in sorted(pending):
            for path in ("/healthz", "/readyz"):
                try:
                    with urllib.request.urlopen(
                            f"http://127.0.0.1:{SERVICES[service]}{path}", timeout=3) as resp:
                        ok = resp.status == 200
                except OSError:
                    ok = False
                if not ok:
                    break
            else:
                pending.discard(service)
        if pending:
            time.sleep(1)
    for service in sorted(pending):
        print(f"  {service} n'est pas prêt : voir .run/logs/{service}-*.log", file=sys.stderr)
    return not pending


def signal_process(pid: int, sig: int) -> None:
    """Signal the process group the launcher created, or the lone process otherwise."""
    try:
        os.killpg(pid, sig)
    except (ProcessLookupError, PermissionError):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            pass


def stop(names: list[str] | None = None) -> None:
    pid_dir = RUN / "pids"
    if not pid_dir.exists():
        return
    files = sorted(pid_dir.glob("*.pid"))
    if names is not None:
        files = [f for f in files if f.stem in names]
    victims = {}
    for pid_file in files:
        pid = pid_alive(pid_file)
        if pid:
            signal_process(pid, signal.SIGTERM)
            victims[pid_file] = pid
        else:
            pid_file.unlink(missing_ok=True)
    deadline = time.monotonic() + 15
    while victims and time.monotonic() < deadline:
        for pid_file, pid in list(victims.items()):
            if not pid_alive(pid_file):
                pid_file.unlink(missing_ok=True)
                victims.pop(pid_file)
                print(f"  arrêté {pid_file.stem}")
        time.sleep(0.3)
    for pid_file, pid in victims.items():
        signal_process(pid, signal.SIGKILL)
        pid_file.unlink(missing_ok=True)
        print(f"  tué {pid_file.stem}")


class Platform:
    """Processes of a plan run as children of the caller (the tests and drills; ``make up``
    uses pid files instead): started, waited for, restarted one by one, stopped."""

    def __init__(self, procs: list[Proc], env_of, logs: Path) -> None:
        self.procs = procs
        self.env_of = env_of  # Proc -> its full environment
        self.logs = logs
        self.running: dict[str, subprocess.Popen] = {}

    def spawn(self, proc: Proc) -> subprocess.Popen:
        log = open(self.logs / f"{proc.name}.log", "ab")
        self.running[proc.name] = subprocess.Popen(
            proc.argv, env=self.env_of(proc), cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True)
        return self.running[proc.name]

    def start(self) -> "Platform":
        for proc in self.procs:
            self.spawn(proc)
        return self

    def healthy(self, proc: Proc) -> bool:
        """The web process ready (``/readyz``), a worker or bus process alive (``/healthz`` on
        its metrics port)."""
        role, port = proc.scrape[0]
        path = "/readyz" if role == "web" else "/healthz"
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=3) as resp:
                return resp.status == 200
        except OSError:
            return False

    def wait_healthy(self, procs: list[Proc] | None = None, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        pending = list(procs or self.procs)
        while pending:
            pending = [p for p in pending if not self.healthy(p)]
            for proc in pending:
                if self.running[proc.name].poll() is not None:
                    raise RuntimeError(f"{proc.name} s'est arrêté (journal : {self.logs})")
            if pending and time.monotonic() > deadline:
                raise RuntimeError(f"pas prêts : {[p.name for p in pending]} ({self.logs})")
            if pending:
                time.sleep(0.3)

    def restart(self, proc: Proc, timeout_s: float = 60) -> float:
        """Restart one process gracefully, as a rolling update does; return the seconds until
        it is healthy again. A web process (gunicorn) reloads: new workers start, then the old
        ones finish their requests and leave, on the same socket. A worker or bus process gets
        SIGTERM (running activities finish, unacknowledged messages go back to the queue), then
        a new one starts."""
        started = time.monotonic()
        process = self.running[proc.name]
        if proc.role == "web":
            before = children(process.pid)
            os.kill(process.pid, signal.SIGHUP)
            deadline = time.monotonic() + timeout_s
            while not (children(process.pid) and not children(process.pid) & before):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"{proc.name} n'a pas renouvelé ses workers")
                time.sleep(0.2)
        else:
            process.terminate()
            process.wait(timeout_s)
            self.spawn(proc)
        self.wait_healthy([proc], timeout_s)
        return time.monotonic() - started

    def stop(self) -> None:
        for process in self.running.values():
            if process.poll() is None:
                process.terminate()
        for process in self.running.values():
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()


def children(pid: int) -> set[int]:
    try:
        return {int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()}
    except FileNotFoundError:
        return set()


def status() -> None:
    for pid_file in sorted((RUN / "pids").glob("*.pid")):
        print(f"  {pid_file.stem:28} {'en marche' if pid_alive(pid_file) else 'arrêté'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "stop-all", "status", "wait"])
    args = parser.parse_args()
    services = list(SERVICES)
    if args.action == "start":
        procs = start(services, replicas_wanted())
        start_prometheus(procs)
        return 0 if wait_ready(services) else 1
    if args.action == "wait":
        return 0 if wait_ready(services) else 1
    if args.action == "stop":
        stop([proc.name for proc in plan(services, 9)] + ["prometheus"])
    elif args.action == "stop-all":
        stop()
    else:
        status()
    return 0


if __name__ == "__main__":
    sys.exit(main())
