"""Traces (OpenTelemetry): one trace follows a change across processes and services.

Off by default. A process exports spans over OTLP when the standard variables ask for it:
``OTEL_EXPORTER_OTLP_ENDPOINT`` (or ``OTEL_EXPORTER_OTLP_TRACES_ENDPOINT``) set, and neither
``OTEL_SDK_DISABLED=true`` nor ``OTEL_TRACES_EXPORTER=none``; every other ``OTEL_*`` variable
(headers, protocol, sampler, ``OTEL_SERVICE_NAME``, ``OTEL_RESOURCE_ATTRIBUTES``, batch delays)
is read by the SDK itself. The exporter speaks OTLP over HTTP (protobuf).

What is traced, once enabled: Flask requests, outgoing ``requests`` calls and psycopg queries
(the OpenTelemetry instrumentations); Temporal client calls, workflows and activities
(``temporalio.contrib.opentelemetry.TracingInterceptor``, on every client this library makes);
and the bus: :func:`current_carrier` is stored with each outbox row, the relay sends it as the
AMQP headers ``traceparent``/``tracestate``, and the consumer applies the event inside a span
whose parent it is. So a notice imported through veille's API (web → ImportNotices workflow →
store activity → outbox → broker) and handled by notifications (consumer → the email's row,
which keeps the context for its sending) is one trace.
"""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import Iterator

from opentelemetry import context as otel_context
from opentelemetry import propagate, trace

log = logging.getLogger(__name__)

_enabled = False
TRACER = trace.get_tracer("centrale")


def wanted(env=None) -> bool:
    env = os.environ if env is None else env
    if env.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    if env.get("OTEL_TRACES_EXPORTER", "otlp").lower() in ("none", ""):
        return False
    return bool(env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
                or env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def enabled() -> bool:
    return _enabled


def configure(service: str) -> bool:
    """Install the SDK's tracer provider and the psycopg and requests instrumentations, once
    per process, when the environment asks for traces; return whether it did."""
    global _enabled
    if _enabled or not wanted():
        return _enabled
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.instrumentation.psycopg import PsycopgInstrumentor
    from opentelemetry.instrumentation.requests import RequestsInstrumentor
    from opentelemetry.sdk.resources import OTELResourceDetector, Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    resource = Resource.create({"service.name": os.environ.get("OTEL_SERVICE_NAME", service),
                                "service.namespace": "centrale"}).merge(
        OTELResourceDetector().detect())
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    PsycopgInstrumentor().instrument(enable_commenter=False, skip_dep_check=True)
    RequestsInstrumentor().instrument()
    _enabled = True
    log.info("traces exported over OTLP", extra={"service": service})
    return True


def instrument_app(app) -> None:
    """Spans for every request of a Flask app (when traces are on)."""
    if configure(app.name):
        from opentelemetry.instrumentation.flask import FlaskInstrumentor

        FlaskInstrumentor().instrument_app(app, excluded_urls="healthz,readyz,metrics")


def temporal_interceptors() -> list:
    """The interceptors a Temporal client takes: the tracing one when traces are on (it also
    applies to the workers made from that client)."""
    if not _enabled:
        return []
    from temporalio.contrib.opentelemetry import TracingInterceptor

    return [TracingInterceptor()]


def current_carrier() -> dict[str, str] | None:
    """The active span's context as W3C headers (``traceparent``…), or None without one."""
    if not _enabled:
        return None
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier or None


@contextmanager
def continued(carrier: dict | None, name: str, **attributes) -> Iterator[None]:
    """A span continuing the trace the carrier names (an event's, an email's), current for
    the block; nothing when traces are off."""
    if not _enabled:
        yield
        return
    parent = propagate.extract({k: str(v) for k, v in (carrier or {}).items()})
    token = otel_context.attach(parent)
    try:
        with TRACER.start_as_current_span(name, kind=trace.SpanKind.CONSUMER,
                                          attributes=attributes):
            yield
    finally:
        otel_context.detach(token)


def record_span(carrier: dict | None, name: str, start_ns: int, end_ns: int,
                **attributes) -> None:
    """A finished span in the carrier's trace, from ``start_ns`` to ``end_ns`` (what was
    measured before it was known which trace it belongs to: an email's sending)."""
    if not _enabled or not carrier:
        return
    parent = propagate.extract({k: str(v) for k, v in carrier.items()})
    span = TRACER.start_span(name, context=parent, start_time=start_ns, attributes=attributes)
    span.end(end_time=end_ns)


def shutdown() -> None:
    """Flush the spans still in the batch (a process about to exit)."""
    provider = trace.get_tracer_provider()
    if _enabled and hasattr(provider, "shutdown"):
        provider.shutdown()
