"""The platform as ``make up`` runs it (deploy/local/processes.py's plan and launcher), on this
test session's databases, exchange and task queues, on free ports: for the tests and drills
that need every process (Prometheus scraping them, the rolling restart)."""

from __future__ import annotations

import importlib
import importlib.util
import os
import sys
from pathlib import Path

from .testing import free_port, isolated_environment

ROOT = Path(__file__).resolve().parents[2]
SERVICES = ["veille", "accompagnement", "formation", "notifications", "portail"]


def launcher():
    """deploy/local/processes.py, loaded as a module."""
    name = "centrale_local_processes"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name,
                                                      ROOT / "deploy" / "local" / "processes.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def isolated_platform(logs: Path, replicas: int = 1, web_workers: int = 1,
                      services: list[str] = SERVICES):
    """A Platform (not started) of every process of ``services``, each on free ports, the
    services pointed at one another; and the web ports by service."""
    local = launcher()
    web_ports = {service: free_port() for service in services}
    metrics_ports: dict[tuple, int] = {}

    def metrics_port(service, role, replica):
        return metrics_ports.setdefault((service, role, replica), free_port())

    procs = local.plan(services, replicas, web_port=web_ports.get, metrics_port=metrics_port,
                       web_workers=web_workers)
    urls = {f"CENTRALE_{s.upper()}_URL": f"http://127.0.0.1:{p}" for s, p in web_ports.items()}
    # Each gunicorn makes its own metrics directory; none is inherited from the caller.
    base = {k: v for k, v in os.environ.items() if k != "PROMETHEUS_MULTIPROC_DIR"}

    def env_of(proc):
        return {**base, **isolated_environment(proc.service), **urls, **proc.env,
                "CENTRALE_LOG_LEVEL": "WARNING"}

    return local.Platform(procs, env_of, logs), web_ports


def delete_bus_queues(services: list[str] = SERVICES) -> None:
    """Delete the handler queues the platform's bus processes declared on this session's
    exchange: later tests must not find them bound and filled with their events."""
    from .bus import Bus
    from .testing import prepared_settings

    for service in services:
        module = importlib.import_module(f"{service}.service")
        if not hasattr(module, "definition"):
            continue
        settings = prepared_settings(service)
        bus = Bus.from_settings(settings)
        with bus.connect() as conn:
            for handler in module.definition().handlers(settings):
                queues = bus.queues_for(service, handler.name, handler.event_types)
                for queue in (queues.main, queues.retry, queues.dead):
                    conn.channel().queue_delete(queue.name)
