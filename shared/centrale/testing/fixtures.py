"""The fixtures every service's tests share: tokens and headers, a Flask app on this session's
resources, and small helpers to wait for something or read the outbox."""

from __future__ import annotations

import importlib
import time
from typing import Callable

import pytest

from ..auth import issue_token, service_token
from ..db import Database
from .resources import TEST_SECRET, prepared_settings


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def as_service(base: str, method: str, path: str, **kwargs):
    """A request to a running service's API with a service token, which must succeed; its JSON
    body (None when empty). For tests that set up through the API what a page then shows."""
    import requests  # only the tests of running services need it

    response = requests.request(method, base + path, timeout=30,
                                headers=bearer(service_token(TEST_SECRET, "tests")), **kwargs)
    assert response.status_code < 300, (method, path, response.status_code, response.text)
    return response.json() if response.content else None


@pytest.fixture(scope="session")
def token_secret() -> str:
    return TEST_SECRET


@pytest.fixture
def service_headers() -> dict[str, str]:
    return bearer(service_token(TEST_SECRET, "tests"))


@pytest.fixture
def make_headers() -> Callable[..., dict[str, str]]:
    """Headers for a person: ``make_headers("membre", structure_id=3)``."""

    def make(role: str, structure_id: int | None = None, subject: str = "user:test",
             email: str | None = None):
        return bearer(issue_token(TEST_SECRET, "tests", subject, role, structure_id=structure_id,
                                  email=email))

    return make


def wait_until(condition: Callable[[], object], timeout: float = 20.0, interval: float = 0.1,
               message: str = "condition not met"):
    """Poll ``condition`` until it returns something truthy; return it, or fail the test."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"{message} after {timeout} s (last value: {value!r})")
        time.sleep(interval)


@pytest.fixture
def make_service_app():
    """``make_service_app("veille")`` → a Flask app on this session's test resources."""
    apps = []

    def make(service: str):
        settings = prepared_settings(service)
        app = importlib.import_module(f"{service}.app").create_app(settings)
        app.config["TESTING"] = True
        apps.append(app)
        return app

    yield make
    for app in apps:
        app.extensions["centrale"].db.close()
        app.extensions["centrale"].bus.close()


def outbox_events(db: Database, event_type: str | None = None) -> list[dict]:
    """The envelopes a service wrote to its outbox, oldest first."""
    with db.transaction() as conn:
        rows = conn.execute(
            "SELECT envelope FROM centrale_outbox WHERE %(t)s::text IS NULL OR event_type = %(t)s"
            " ORDER BY seq", {"t": event_type}).fetchall()
    return [row["envelope"] for row in rows]
