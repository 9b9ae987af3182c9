"""The services as they really run: gunicorn, the Temporal worker and the bus process, each a
separate OS process, on this session's test databases, exchange and task queues."""

import os
import sys
import time
from pathlib import Path

import pytest
import requests

from centrale.auth import service_token
from centrale.testing import (RUN_ID, TEST_SECRET, bearer, free_port, gunicorn_command,
                              http_ready, isolated_environment, prepared_settings, processes,
                              wait_until)

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
SERVICES = ("veille", "accompagnement", "formation", "notifications")


def env_for(service: str) -> dict[str, str]:
    return {**os.environ, **isolated_environment(service)}


def gunicorn(service: str, port: int):
    return gunicorn_command(service, port, env_for(service))


ready = http_ready


@pytest.mark.parametrize("service", SERVICES)
def test_each_service_serves_health_readiness_and_its_api_document(service):
    port = free_port()
    with processes(gunicorn(service, port)) as (web,):
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: ready(f"{base}/healthz") or web.poll() is not None, timeout=30)
        assert web.poll() is None, web.stderr.read().decode()
        readiness = requests.get(f"{base}/readyz", timeout=10)
        assert readiness.status_code == 200, readiness.text
        assert readiness.json()["checks"] == {"database": "ok", "broker": "ok", "temporal": "ok"}
        spec = requests.get(f"{base}/openapi.json", timeout=5).json()
        assert spec["openapi"].startswith("3.")
        assert any(path.startswith("/api/") for path in spec["paths"])
        assert "swagger-ui" in requests.get(f"{base}/docs", timeout=5).text
        assert requests.post(f"{base}/api/anything", json={}, timeout=5).status_code == 401


def test_readiness_reports_an_unreachable_broker():
    port = free_port()
    argv, env = gunicorn("veille", port)
    env = {**env, "CENTRALE_AMQP_URL": "amqp://guest:guest@127.0.0.1:1//"}
    with processes((argv, env)):
        wait_until(lambda: ready(f"http://127.0.0.1:{port}/healthz"), timeout=30)
        response = requests.get(f"http://127.0.0.1:{port}/readyz", timeout=10)
    assert response.status_code == 503
    assert response.json()["checks"]["broker"].startswith("indisponible")
    assert response.json()["checks"]["database"] == "ok"


def test_the_thin_path_through_real_processes():
    """veille web → veille worker → veille bus (relay) → RabbitMQ → notifications bus."""
    port = free_port()
    veille_env = env_for("veille")
    notif_env = env_for("notifications")
    source_id = f"26-{RUN_ID}"
    with processes(gunicorn("veille", port),
                   ([str(BIN / "veille"), "worker"], veille_env),
                   ([str(BIN / "veille"), "bus"], veille_env),
                   ([str(BIN / "notifications"), "bus"], notif_env)):
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: ready(f"{base}/readyz"), timeout=30)
        headers = bearer(service_token(TEST_SECRET, "tests"))
        notice = {"source": "ted", "source_id": source_id, "title": "Entretien des espaces verts",
                  "buyer": {"name": "Département de la Loire"}, "cpv_main": "77311000"}
        started = requests.post(f"{base}/api/imports", json={"notices": [notice]},
                                headers=headers, timeout=10)
        assert started.status_code == 202
        notif_settings = prepared_settings("notifications")

        def received():
            import psycopg

            with psycopg.connect(notif_settings.db_dsn) as conn:
                return conn.execute("SELECT count(*) FROM received_events WHERE"
                                    " data->>'source_id' = %s", (source_id,)).fetchone()[0]

        assert wait_until(received, timeout=45, message="event never reached notifications") == 1
        # The event can reach notifications a moment before the workflow reports completion.
        wait_until(lambda: requests.get(
            f"{base}/api/imports/{started.json()['workflow_id']}", headers=headers,
            timeout=10).json()["status"] == "COMPLETED", timeout=20)
        time.sleep(1)
        assert received() == 1
