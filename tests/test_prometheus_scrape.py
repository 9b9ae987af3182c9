"""Every process of the platform as ``make up`` starts it (deploy/local/processes.py's plan),
scraped by a real Prometheus (Debian's, as ``make up`` runs it): each target up, requests
counted by every web process, the outbox and the consumers' series there once a notice went
through, the Temporal SDK's own worker metrics too."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
import requests

from centrale.auth import service_token
from centrale.local_platform import delete_bus_queues, isolated_platform, launcher
from centrale.testing import RUN_ID, TEST_SECRET, bearer, free_port, http_ready, wait_until

pytestmark = [pytest.mark.integration, pytest.mark.timeout(300)]

ROOT = Path(__file__).resolve().parents[1]


def query(base: str, promql: str) -> list[dict]:
    response = requests.get(f"{base}/api/v1/query", params={"query": promql}, timeout=10)
    response.raise_for_status()
    return response.json()["data"]["result"]


@pytest.fixture
def platform(tmp_path):
    """Every process on free ports and this session's test resources, Prometheus last."""
    platform, web_ports = isolated_platform(tmp_path)
    procs = platform.procs
    prometheus = shutil.which("prometheus") or "/usr/bin/prometheus"
    assert Path(prometheus).exists(), "prometheus absent : make test l'installe (Debian)"
    config = tmp_path / "prometheus.yml"
    config.write_text(launcher().prometheus_config(
        procs, ROOT / "deploy" / "prometheus" / "alerts.yml", interval_s=1))
    prometheus_port = free_port()
    platform.start()
    server = subprocess.Popen(
        [prometheus, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
         f"--web.listen-address=127.0.0.1:{prometheus_port}"],
        stdout=open(tmp_path / "prometheus.log", "wb"), stderr=subprocess.STDOUT,
        start_new_session=True)
    try:
        yield {"procs": procs, "web": web_ports, "prometheus": f"http://127.0.0.1:{prometheus_port}",
               "logs": tmp_path}
    finally:
        server.terminate()
        platform.stop()
        server.wait(20)
        delete_bus_queues()


def test_prometheus_scrapes_every_process_and_their_series(platform):
    prometheus, web = platform["prometheus"], platform["web"]
    for service, port in web.items():
        wait_until(lambda: http_ready(f"http://127.0.0.1:{port}/readyz"), timeout=90,
                   message=f"{service} pas prêt (journaux : {platform['logs']})")

    # A notice through veille: imported by its worker, relayed by its bus, consumed by the
    # other services' bus processes (the consumers' series exist once they consumed).
    headers = bearer(service_token(TEST_SECRET, "tests"))
    notice = {"source": "ted", "source_id": f"26-metrics-{RUN_ID}",
              "title": "Entretien des espaces verts du parc de l'Europe",
              "buyer": {"name": "Saint-Étienne Métropole"}, "cpv_main": "77311000"}
    assert requests.post(f"http://127.0.0.1:{web['veille']}/api/imports",
                         json={"notices": [notice]}, headers=headers, timeout=10).status_code == 202

    expected = {(proc.name, role) for proc in platform["procs"] for role, _port in proc.scrape}
    assert len(expected) == 5 + 4 * 3  # five web, and each worker twice (its own, the SDK's)

    def targets_up():
        found = {(r["metric"]["process"], r["metric"]["role"]): r["value"][1]
                 for r in query(prometheus, "up")}
        return found if set(found) == expected and set(found.values()) == {"1"} else None

    wait_until(targets_up, timeout=90, interval=1, message="tous les processus ne sont pas up")

    def per_service(promql: str) -> dict[str, float]:
        return {r["metric"]["service"]: float(r["value"][1]) for r in query(prometheus, promql)}

    # Every web process counted requests (readiness probes at least: Prometheus's own scrapes
    # of /metrics are not counted).
    requests_seen = wait_until(lambda: (lambda f: f if set(f) == set(web) and all(f.values())
                                        else None)(per_service(
                                            "sum by (service) (http_requests_total)")),
                               timeout=30, interval=1, message="http_requests_total manquant")
    assert all(count > 0 for count in requests_seen.values())
    # The outbox series, from every bus process.
    outbox = wait_until(lambda: (lambda f: f if len(f) == 4 else None)(per_service(
        "max by (service) (centrale_outbox_pending)")), timeout=30, interval=1)
    assert set(outbox) == {"veille", "accompagnement", "formation", "notifications"}
    # The consumers' series: the notice's tender.published consumed by notifications.
    consumed = wait_until(lambda: per_service(
        'sum by (service) (centrale_events_consumed_total{outcome="applied"})').get(
            "notifications"), timeout=60, interval=1, message="aucun événement consommé")
    assert consumed >= 1
    assert wait_until(lambda: per_service("sum by (service) (centrale_notices_ingested_total)")
                      .get("veille"), timeout=30, interval=1) >= 1
    # The Temporal SDK's own worker metrics (its Prometheus runtime).
    assert query(prometheus, 'count by (service) ({role="worker-temporal",'
                             ' __name__=~"temporal_.+"})')
    # The dead-letter gauges exist (and are zero) for the consumers' handlers.
    dead = query(prometheus, "centrale_dead_letter_messages")
    assert dead and {r["value"][1] for r in dead} == {"0"}
