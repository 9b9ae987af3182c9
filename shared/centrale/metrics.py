"""Prometheus metrics: what every web, worker and bus process exposes, defined once.

- Web processes answer ``GET /metrics`` (:func:`install_web_metrics`). Under gunicorn the
  workers share their counters through prometheus-client's multiprocess mode
  (``PROMETHEUS_MULTIPROC_DIR``, set by ``deploy/gunicorn.conf.py``), so any worker's answer
  counts every worker's requests.
- Worker and bus processes serve theirs on ``CENTRALE_METRICS_PORT`` (:func:`serve_metrics`);
  a Temporal worker also has the SDK's own Prometheus endpoint on
  ``CENTRALE_TEMPORAL_METRICS_PORT`` (:func:`temporal_runtime`). Unset or 0: not served.
- Figures that live in the database (the outbox backlog, each feed's last poll) or in the
  broker (dead-letter queues) are read when Prometheus scrapes, by collectors, so that a
  restarted process never reports a stale or zeroed value.

Labels stay bounded: a route is Flask's rule (``/api/cases/<int:case_id>``), never the path.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from http.server import ThreadingHTTPServer
from typing import Callable, Iterable, Sequence

from prometheus_client import (CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, Counter,
                               Histogram, generate_latest)
from prometheus_client.exposition import MetricsHandler
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

log = logging.getLogger(__name__)

# -- HTTP -------------------------------------------------------------------------------------
HTTP_REQUESTS = Counter("http_requests", "Requêtes HTTP servies, par route et statut",
                        ["route", "method", "status"])
HTTP_LATENCY = Histogram("http_request_duration_seconds", "Durée des requêtes HTTP",
                         ["route", "method"],
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))

# -- Bus --------------------------------------------------------------------------------------
EVENTS_CONSUMED = Counter("centrale_events_consumed", "Événements reçus par un gestionnaire, "
                          "par issue (applied, duplicate)", ["handler", "outcome"])
EVENTS_RETRIED = Counter("centrale_events_retried", "Événements renvoyés en file de reprise",
                         ["handler"])
EVENTS_DEAD_LETTERED = Counter("centrale_events_dead_lettered",
                               "Événements mis en file des morts (.dead)", ["handler"])
OUTBOX_PUBLISHED = Counter("centrale_outbox_published", "Événements publiés depuis l'outbox")
OUTBOX_PUBLISH_FAILURES = Counter("centrale_outbox_publish_failures",
                                  "Lots de l'outbox dont la publication a échoué")

# -- Domain figures ---------------------------------------------------------------------------
EMAILS_SENT = Counter("centrale_emails_sent", "Courriels remis au serveur SMTP")
EMAILS_FAILED = Counter("centrale_emails_failed", "Courriels abandonnés en échec définitif")
EMAILS_RETRIED = Counter("centrale_emails_retried", "Envois de courriels à retenter")
NOTICES_INGESTED = Counter("centrale_notices_ingested", "Avis enregistrés, par source",
                           ["source"])
NOTICES_QUARANTINED = Counter("centrale_notices_quarantined", "Avis mis en quarantaine, par "
                              "source", ["source"])

# Sources a notice label may take (anything else is « autre »: labels stay bounded).
NOTICE_SOURCES = ("boamp", "ted", "decp", "api")


def notice_source(value: object) -> str:
    text = str(value or "").split(":", 1)[0].lower()
    return text if text in NOTICE_SOURCES else "autre"


# -- Collectors read at scrape time -----------------------------------------------------------


class OutboxCollector(Collector):
    """The outbox's pending rows and the age of the oldest, from the service's database."""

    def __init__(self, db) -> None:
        self.db = db

    def collect(self):
        pending = GaugeMetricFamily("centrale_outbox_pending",
                                    "Événements de l'outbox pas encore publiés")
        oldest = GaugeMetricFamily("centrale_outbox_oldest_pending_age_seconds",
                                   "Âge du plus ancien événement non publié (0 sans attente)")
        try:
            with self.db.transaction() as conn:
                row = conn.execute(
                    "SELECT count(*) AS n, coalesce(extract(epoch FROM clock_timestamp()"
                    " - min(created_at)), 0) AS age FROM centrale_outbox"
                    " WHERE published_at IS NULL").fetchone()
        except Exception as exc:  # database away: no figure rather than a false zero
            log.warning("outbox metrics unavailable", extra={"error": repr(exc)})
            return
        pending.add_metric([], row["n"])
        oldest.add_metric([], float(row["age"]))
        yield pending
        yield oldest


class DeadLetterCollector(Collector):
    """How many messages wait in each handler's ``.dead`` queue (a passive declare: the
    queue is never created by asking)."""

    def __init__(self, bus, queues: dict[str, str]) -> None:
        self.bus = bus
        self.queues = queues  # handler -> dead queue name

    def collect(self):
        family = GaugeMetricFamily("centrale_dead_letter_messages",
                                   "Messages en file des morts, par gestionnaire",
                                   labels=["handler", "queue"])
        try:
            with self.bus.connect(connect_timeout=3) as conn:
                channel = conn.channel()
                for handler, name in sorted(self.queues.items()):
                    try:
                        _name, count, _consumers = channel.queue_declare(name, passive=True)
                    except Exception:  # not declared yet: nothing dead
                        channel = conn.channel()
                        count = 0
                    family.add_metric([handler, name], count)
        except Exception as exc:
            log.warning("dead-letter metrics unavailable", extra={"error": repr(exc)})
            return
        yield family


class ChecksCollector(Collector):
    """``centrale_readiness_check{check}``: 1 when the check passes, 0 otherwise (what
    ``/readyz`` checks, run when Prometheus scrapes)."""

    def __init__(self, checks: Callable[[], dict[str, Callable[[], None]]]) -> None:
        self.checks = checks

    def collect(self):
        family = GaugeMetricFamily("centrale_readiness_check",
                                   "Dépendance joignable (1) ou non (0), comme /readyz",
                                   labels=["check"])
        for name, check in self.checks().items():
            try:
                check()
                family.add_metric([name], 1)
            except Exception:
                family.add_metric([name], 0)
        yield family


# -- Exposition -------------------------------------------------------------------------------


def multiprocess_dir() -> str | None:
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition(extra: Iterable[Collector] = ()) -> bytes:
    """This process's metrics (every gunicorn worker's, in multiprocess mode) and ``extra``."""
    registry = REGISTRY
    if multiprocess_dir():
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
    body = generate_latest(registry)
    extra = list(extra)
    if extra:
        own = CollectorRegistry(auto_describe=False)
        for collector in extra:
            own.register(collector)
        body += generate_latest(own)
    return body


def install_web_metrics(app, readiness: Callable[[], dict[str, Callable[[], None]]]) -> None:
    """Count and time every request by route and status; answer ``GET /metrics``."""
    from flask import Response, g, request

    @app.before_request
    def start_timer():
        g.metrics_started = time.perf_counter()

    @app.after_request
    def count_request(response):
        started = g.pop("metrics_started", None)
        route = request.url_rule.rule if request.url_rule is not None else "<aucune>"
        if route != "/metrics":
            HTTP_REQUESTS.labels(route, request.method, str(response.status_code)).inc()
            if started is not None:
                HTTP_LATENCY.labels(route, request.method).observe(
                    time.perf_counter() - started)
        return response

    @app.get("/metrics")
    def metrics():
        # For the Prometheus that scrapes the process itself: a request relayed by a proxy
        # (the portail's Ingress, open to the Internet) never sees the figures.
        if "X-Forwarded-For" in request.headers or "Forwarded" in request.headers:
            return Response("Not Found\n", status=404, mimetype="text/plain")
        return Response(exposition([ChecksCollector(readiness)]), mimetype=CONTENT_TYPE_LATEST)


def serve_metrics(settings, collectors: Sequence[Collector] = (),
                  alive: Callable[[], bool] = lambda: True) -> int | None:
    """Serve this process's metrics on ``CENTRALE_METRICS_PORT`` (``/metrics``), and
    ``/healthz`` there too (200 while ``alive()``, 503 otherwise: what Kubernetes probes);
    return the port, or None when it is not set."""
    port = settings.metrics_port
    if not port:
        return None
    for collector in collectors:
        REGISTRY.register(collector)

    class Handler(MetricsHandler):
        def do_GET(self):  # noqa: N802 — http.server's naming
            if self.path.split("?", 1)[0] != "/healthz":
                return super().do_GET()
            ok = alive()
            body = b'{"status": "ok"}' if ok else b'{"status": "not_alive"}'
            self.send_response(200 if ok else 503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):  # Prometheus scrapes every few seconds: no log line
            pass

    server = ThreadingHTTPServer((settings.metrics_host, port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="metrics", daemon=True).start()
    log.info("metrics served", extra={"port": port, "host": settings.metrics_host})
    return port


def temporal_runtime(settings):
    """A Temporal runtime exporting the SDK's worker metrics (task slots, polls, latencies,
    activity and workflow outcomes) on ``CENTRALE_TEMPORAL_METRICS_PORT``, or None."""
    if not settings.temporal_metrics_port:
        return None
    from temporalio.runtime import PrometheusConfig, Runtime, TelemetryConfig

    bind = f"{settings.metrics_host}:{settings.temporal_metrics_port}"
    return Runtime(telemetry=TelemetryConfig(metrics=PrometheusConfig(bind_address=bind)))
