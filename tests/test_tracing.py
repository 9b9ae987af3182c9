"""One trace from a notice's import to its consumption by notifications, across real
processes (veille web, worker and bus, notifications bus), collected by a local OTLP/HTTP
receiver: the same trace id in veille's request, the Temporal activity that stored the notice
and notifications' handling of the event — carried through the outbox and the AMQP headers."""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from pathlib import Path

import pytest
import requests

from centrale.auth import service_token
from centrale.otlp_receiver import OtlpReceiver
from centrale.testing import (RUN_ID, TEST_SECRET, bearer, free_port, gunicorn_command,
                              http_ready, isolated_environment, processes, wait_until)

pytestmark = pytest.mark.integration

BIN = Path(sys.executable).parent


def test_one_trace_spans_veille_the_temporal_activity_and_notifications():
    receiver = OtlpReceiver()
    otel = receiver.environment()
    veille = {**os.environ, **isolated_environment("veille"), **otel}
    notifications = {**os.environ, **isolated_environment("notifications"), **otel}
    port = free_port()
    source_id = f"26-trace-{RUN_ID}"
    with processes(gunicorn_command("veille", port, veille),
                   ([str(BIN / "veille"), "worker"], veille),
                   ([str(BIN / "veille"), "bus"], veille),
                   ([str(BIN / "notifications"), "bus"], notifications)):
        base = f"http://127.0.0.1:{port}"
        wait_until(lambda: http_ready(f"{base}/readyz"), timeout=30)
        notice = {"source": "ted", "source_id": source_id, "title": "Entretien des berges",
                  "buyer": {"name": "Saint-Étienne Métropole"}, "cpv_main": "77311000"}
        started = requests.post(f"{base}/api/imports", json={"notices": [notice]},
                                headers=bearer(service_token(TEST_SECRET, "tests")), timeout=10)
        assert started.status_code == 202

        def complete(spans) -> bool:
            names = {(s["service"], s["name"]) for s in spans}
            ids = {s["span_id"] for s in spans}
            orphans = [s for s in spans if s["parent"] and s["parent"] not in ids]
            return ("veille", "POST /api/imports") in names and not orphans and any(
                service == "notifications" and name.startswith("consume tender.published")
                for service, name in names) and any(
                name.startswith("RunActivity:veille.store_notices") for _s, name in names)

        # Each process exports its spans in batches: wait for the whole trace.
        spans = wait_until(lambda: next((spans for spans in receiver.traces().values()
                                         if complete(spans)), None), timeout=60, interval=0.5,
                           message="no whole trace from veille's request to notifications")
    by_service = defaultdict(set)
    for span in spans:
        by_service[span["service"]].add(span["name"])
    assert "POST /api/imports" in by_service["veille"]
    # The Temporal activity that stored the notice (in veille's worker process), and the
    # workflow around it, in the same trace.
    assert any(name.startswith("RunActivity:veille.store_notices") for name in by_service["veille"])
    assert any(name.startswith("RunWorkflow:") for name in by_service["veille"])
    # The queries of the activity (psycopg) and notifications' consumption of the event.
    assert any(name.startswith("consume tender.published") for name in by_service["notifications"])
    assert len({s["trace_id"] for s in spans}) == 1
    # Parent links hold: every span but the request's has its parent in the trace.
    ids = {s["span_id"] for s in spans}
    roots = [s for s in spans if not s["parent"] or s["parent"] not in ids]
    assert [r["name"] for r in roots] == ["POST /api/imports"]


def test_traces_are_off_by_default():
    from centrale import tracing

    assert not tracing.wanted({})
    assert not tracing.wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x", "OTEL_SDK_DISABLED": "true"})
    assert not tracing.wanted({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x",
                               "OTEL_TRACES_EXPORTER": "none"})
    assert tracing.wanted({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://x/v1/traces"})
