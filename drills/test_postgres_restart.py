"""Fault drill: PostgreSQL restarts under a running service: /readyz says not ready while it
is away, then the service recovers by itself within 10 s of its return."""

import os
import subprocess
import time
from pathlib import Path

import pytest
import requests

from centrale.testing import (free_port, gunicorn_command, http_ready, isolated_environment,
                              processes, wait_until)

pytestmark = pytest.mark.integration


def cluster() -> tuple[str, str]:
    version = sorted(os.listdir("/usr/lib/postgresql"), key=lambda v: int(v.split(".")[0]))[-1]
    return version, "main"


def pg_ctl(action: str) -> None:
    version, name = cluster()
    subprocess.run(["pg_ctlcluster", version, name, action], check=True, timeout=120)


def ready_status(base: str) -> int | None:
    try:
        return requests.get(f"{base}/readyz", timeout=5).status_code
    except requests.RequestException:
        return None


def test_services_say_not_ready_then_recover_after_a_postgres_restart():
    if not Path("/usr/lib/postgresql").exists():
        pytest.fail("PostgreSQL is not installed where make test installs it")
    port = free_port()
    env = {**os.environ, **isolated_environment("veille")}
    token_env = env["CENTRALE_TOKEN_SECRET"]
    with processes(gunicorn_command("veille", port, env)):
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: http_ready(f"{base}/readyz"), timeout=60)
        pg_ctl("stop")
        try:
            assert wait_until(lambda: ready_status(base) == 503, timeout=20)
            body = requests.get(f"{base}/readyz", timeout=5).json()
            assert body["checks"]["database"].startswith("indisponible")
            assert requests.get(f"{base}/healthz", timeout=5).status_code == 200  # alive
        finally:
            pg_ctl("start")
        back = time.monotonic()
        wait_until(lambda: ready_status(base) == 200, timeout=30, interval=0.2)
        assert time.monotonic() - back <= 10
        from centrale.auth import service_token
        headers = {"Authorization": f"Bearer {service_token(token_env, 'drill')}"}
        # The pool replaced its dead connections: real queries work again.
        assert requests.get(f"{base}/api/tenders", headers=headers, timeout=10).status_code == 200
