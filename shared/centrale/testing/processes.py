"""Services started as operating-system processes (gunicorn, ``S worker``, ``S bus``) on this
session's resources, and waiting for them to listen."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .fixtures import wait_until
from .resources import isolated_environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def processes(*commands, cwd=None):
    """Run ``(argv, env)`` commands as separate OS processes for the block; stop them after.

    Each one's output goes to a log file, never to a pipe: nobody reads a pipe while the test
    runs, and a process whose logs fill its 64 KiB blocks on its next line — a bus consumer
    stalled so, and tenders never reached accompagnement. When the block fails, the end of
    each log is printed (pytest shows it with the failure)."""
    started = []
    logs = Path(tempfile.mkdtemp(prefix="centrale-processes-"))
    try:
        for index, (argv, env) in enumerate(commands):
            log = logs / f"{index:02d}-{'-'.join(Path(a).name for a in argv[:2])}.log"
            with log.open("wb") as output:
                started.append(subprocess.Popen(argv, env=env, cwd=cwd, stdout=output,
                                                stderr=subprocess.STDOUT,
                                                start_new_session=True))
        yield started
    except BaseException:
        for log in sorted(logs.iterdir()):
            tail = log.read_bytes()[-3000:].decode("utf-8", "replace")
            print(f"--- end of {log}:\n{tail}", file=sys.stderr)
        raise
    finally:
        for process in started:
            process.terminate()
        for process in started:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(logs, ignore_errors=True)


def http_ready(url: str) -> bool:
    import requests  # only the tests that start servers need it

    try:
        return requests.get(url, timeout=2).status_code == 200
    except requests.RequestException:  # refused, or a worker still booting under load
        return False


def gunicorn_command(service: str, port: int, env: dict[str, str]):
    root = Path(__file__).resolve().parents[3]  # the repository
    return ([str(Path(sys.executable).parent / "gunicorn"), "--config",
             str(root / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
             "--workers", "1", f"{service}.app:create_app()"], env)


def wait_for_port(port: int, timeout: float = 30.0, host: str = "127.0.0.1") -> None:
    """Wait until something listens on ``host:port`` (a server started as a process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex((host, port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on {host}:{port} after {timeout} s")


class RoleProcess:
    """A service's process (``S worker``, ``S bus``) on this session's test resources, its
    output in a file, started and waited for its first words; killed like a crash would."""

    def __init__(self, service: str, role: str, log, ready_text: str = "started") -> None:
        self.log = log
        env = {**os.environ, **isolated_environment(service)}
        self.process = subprocess.Popen([sys.executable, "-m", service, role], env=env,
                                        stdout=log.open("w"), stderr=subprocess.STDOUT)
        wait_until(lambda: ready_text in log.read_text() or self.process.poll() is not None,
                   timeout=30, message=f"{service} {role} did not start")
        assert self.process.poll() is None, log.read_text()

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(10)
