"""Start, stop and inspect the platform's own processes on a developer's machine.

``make up`` calls ``start``: for every service, its web server (gunicorn), its Temporal worker
and its bus process (outbox relay + consumer), each with a pid file in ``.run/pids`` and a log
in ``.run/logs``. A process whose pid file names a live process is left alone, so running it
twice is harmless. ``make down`` calls ``stop``: each process named by a pid file gets SIGTERM,
then SIGKILL if it lingers.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RUN = ROOT / ".run"
VENV_BIN = ROOT / ".venv" / "bin"
SERVICES = {"veille": 8001, "accompagnement": 8002, "formation": 8003, "notifications": 8004,
            "portail": 8000}
# The portail has no workflow and no event to consume: its web process alone.
WEB_ONLY = {"portail"}
INFRA_PIDS = ("temporal", "smtp")


def commands(service: str, port: int) -> dict[str, list[str]]:
    web = [str(VENV_BIN / "gunicorn"), "--config", str(ROOT / "deploy" / "gunicorn.conf.py"),
           "--bind", f"127.0.0.1:{port}", "--workers", "2", f"{service}.app:create_app()"]
    if service in WEB_ONLY:
        return {"web": web}
    return {
        "web": web,
        "worker": [str(VENV_BIN / service), "worker"],
        "bus": [str(VENV_BIN / service), "bus"],
    }


def pid_alive(pid_file: Path) -> int | None:
    try:
        pid = int(pid_file.read_text().strip())
        os.kill(pid, 0)
        return pid
    except (FileNotFoundError, ValueError, ProcessLookupError, PermissionError):
        return None


def start(services: list[str]) -> None:
    (RUN / "pids").mkdir(parents=True, exist_ok=True)
    (RUN / "logs").mkdir(parents=True, exist_ok=True)
    for service in services:
        for role, argv in commands(service, SERVICES[service]).items():
            name = f"{service}-{role}"
            pid_file = RUN / "pids" / f"{name}.pid"
            if pid_alive(pid_file):
                continue
            with open(RUN / "logs" / f"{name}.log", "ab") as log:
                process = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                           stdin=subprocess.DEVNULL, cwd=ROOT,
                                           start_new_session=True)
            pid_file.write_text(str(process.pid))
            print(f"  démarré {name} (pid {process.pid})")


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


def status() -> None:
    for pid_file in sorted((RUN / "pids").glob("*.pid")):
        print(f"  {pid_file.stem:28} {'en marche' if pid_alive(pid_file) else 'arrêté'}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["start", "stop", "stop-all", "status", "wait"])
    args = parser.parse_args()
    services = list(SERVICES)
    if args.action == "start":
        start(services)
        return 0 if wait_ready(services) else 1
    if args.action == "wait":
        return 0 if wait_ready(services) else 1
    if args.action == "stop":
        stop([f"{s}-{r}" for s in services for r in ("web", "worker", "bus")])
    elif args.action == "stop-all":
        stop()
    else:
        status()
    return 0


if __name__ == "__main__":
    sys.exit(main())
