"""What the processes tell Prometheus: requests by route and status, the outbox backlog, the
consumers' outcomes per handler and the dead-letter queues, over the real servers."""

import uuid
from dataclasses import replace

import pytest
import requests
from flask_smorest import Blueprint
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from centrale.bus import Bus
from centrale.consumer import Handler
from centrale.events import Event
from centrale.metrics import (DeadLetterCollector, OutboxCollector, exposition, serve_metrics)
from centrale.outbox import OutboxRelay, record_event
from centrale.testing import free_port, running_consumer, wait_until
from centrale.web import create_service_app

pytestmark = pytest.mark.integration

probe = Blueprint("probe", __name__, url_prefix="/api/probe")


@probe.route("/<int:number>")
def echo(number):
    return {"number": number}


def samples(text: str) -> dict[tuple, float]:
    """Every sample of an exposition, keyed by (name, sorted labels)."""
    return {(s.name, tuple(sorted(s.labels.items()))): s.value
            for family in text_string_to_metric_families(text) for s in family.samples}


def value(name, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def test_web_metrics_count_requests_by_route_template_and_status(shared_settings, make_headers):
    app = create_service_app(shared_settings, "Essai", "Essai", [probe])
    client = app.test_client()
    before = value("http_requests_total", route="/api/probe/<int:number>", method="GET",
                   status="200")
    for number in (1, 2, 3):
        assert client.get(f"/api/probe/{number}", headers=make_headers("conseiller")).status_code \
            == 200
    assert client.get("/api/probe/4").status_code == 401  # no token
    assert client.get("/nulle-part").status_code == 404

    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    found = samples(response.get_data(as_text=True))
    route = "/api/probe/<int:number>"
    assert found[("http_requests_total", (("method", "GET"), ("route", route),
                                          ("status", "200")))] == before + 3
    assert found[("http_requests_total", (("method", "GET"), ("route", route),
                                          ("status", "401")))] >= 1
    assert found[("http_requests_total", (("method", "GET"), ("route", "<aucune>"),
                                          ("status", "404")))] >= 1
    # One route per rule, never one per path: the numbers do not become labels.
    assert not any("/api/probe/1" in str(key) for key in found)
    assert found[("http_request_duration_seconds_count", (("method", "GET"),
                                                          ("route", route)))] >= 3
    # What /readyz checks, as gauges: database, broker and Temporal all reachable here.
    assert {key[1]: v for key, v in found.items() if key[0] == "centrale_readiness_check"} == {
        (("check", "broker"),): 1.0, (("check", "database"),): 1.0,
        (("check", "temporal"),): 1.0}
    # Through a proxy (the portail's Ingress), nothing: the figures are for Prometheus alone.
    relayed = client.get("/metrics", headers={"X-Forwarded-For": "203.0.113.7"})
    assert relayed.status_code == 404 and b"http_requests" not in relayed.data
    app.extensions["centrale"].db.close()


def test_a_broken_dependency_shows_as_a_failed_readiness_check(shared_settings):
    settings = replace(shared_settings, amqp_url="amqp://guest:guest@127.0.0.1:1//")
    app = create_service_app(settings, "Essai", "Essai", [])
    found = samples(app.test_client().get("/metrics").get_data(as_text=True))
    assert found[("centrale_readiness_check", (("check", "broker"),))] == 0.0
    assert found[("centrale_readiness_check", (("check", "database"),))] == 1.0
    app.extensions["centrale"].db.close()


def test_outbox_backlog_and_its_oldest_age_then_zero_once_relayed(shared_settings, shared_db):
    collector = OutboxCollector(shared_db)
    with shared_db.transaction() as conn:
        for n in range(3):
            record_event(conn, Event(type="essai.compte", subject=f"essai:{n}", producer="tests",
                                     data={"n": n}))
    found = samples(exposition([collector]).decode())
    assert found[("centrale_outbox_pending", ())] == 3
    assert found[("centrale_outbox_oldest_pending_age_seconds", ())] > 0
    published = value("centrale_outbox_published_total")
    assert OutboxRelay(shared_db, Bus.from_settings(shared_settings)).drain() == 3
    assert value("centrale_outbox_published_total") == published + 3
    found = samples(exposition([collector]).decode())
    assert found[("centrale_outbox_pending", ())] == 0
    assert found[("centrale_outbox_oldest_pending_age_seconds", ())] == 0


def test_consumer_counts_applied_duplicates_retries_and_dead_letters(shared_settings,
                                                                     shared_db):
    name = f"metrics-{uuid.uuid4().hex[:6]}"

    def fails(conn, event):
        if event.data["note"] == "casse":
            raise RuntimeError("toujours en panne")

    handler = Handler(name, ("essai.mesure",), fails)
    bus = Bus.from_settings(shared_settings)
    good = Event(type="essai.mesure", subject="essai:1", producer="tests", data={"note": "ok"})
    bad = Event(type="essai.mesure", subject="essai:2", producer="tests", data={"note": "casse"})
    with running_consumer(shared_settings, shared_db, [handler], max_attempts=2) as consumer:
        bus.publish_many([good.to_message(), good.to_message(), bad.to_message()])
        wait_until(lambda: value("centrale_events_dead_lettered_total", handler=name) == 1)
        dead = DeadLetterCollector(bus, {name: consumer.queues[name].dead.name})
        found = wait_until(lambda: (lambda f: f if f.get(
            ("centrale_dead_letter_messages", (("handler", name),
                                               ("queue", consumer.queues[name].dead.name))))
            else None)(samples(exposition([dead]).decode())))
        assert found[("centrale_dead_letter_messages",
                      (("handler", name), ("queue", consumer.queues[name].dead.name)))] == 1
    assert value("centrale_events_consumed_total", handler=name, outcome="applied") == 1
    assert value("centrale_events_consumed_total", handler=name, outcome="duplicate") == 1
    assert value("centrale_events_retried_total", handler=name) == 1  # attempt 1 of 2
    bus.close()


def test_a_worker_or_bus_process_serves_its_metrics_on_its_port(shared_settings):
    port = free_port()
    alive = [True]
    assert serve_metrics(replace(shared_settings, metrics_port=port),
                         alive=lambda: alive[0]) == port
    text = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    assert "# TYPE centrale_events_consumed_total counter" in text
    # The liveness probe of Kubernetes, on the same port.
    assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    alive[0] = False
    assert requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 503
    assert serve_metrics(replace(shared_settings, metrics_port=0)) is None
