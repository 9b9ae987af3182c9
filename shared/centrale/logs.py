"""Structured JSON logs on stdout, one object per line, carrying the service's name."""

from __future__ import annotations

import logging
import sys

from pythonjsonlogger.json import JsonFormatter


class _ServiceFilter(logging.Filter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self.service = service

    def filter(self, record: logging.LogRecord) -> bool:
        record.service = self.service
        return True


def configure_logging(service: str, level: str = "INFO") -> None:
    """Route every logger to one JSON handler on stdout (idempotent)."""
    root = logging.getLogger()
    for handler in list(root.handlers):
        if getattr(handler, "_centrale", False):
            root.removeHandler(handler)
    handler = logging.StreamHandler(sys.stdout)
    handler._centrale = True  # type: ignore[attr-defined]
    handler.addFilter(_ServiceFilter(service))
    handler.setFormatter(
        JsonFormatter(
            "%(asctime)s %(levelname)s %(name)s %(service)s %(message)s",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
        )
    )
    root.addHandler(handler)
    root.setLevel(level)
    # amqp and temporal are chatty at INFO about every reconnect; keep their warnings.
    for noisy in ("amqp", "kombu", "temporalio.worker._workflow_instance"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, root.level))
