"""Every API keeps its own OpenAPI contract: schemathesis with ``--checks all`` and the stateful
phase, a service token and a member's, 0 failures (the run itself: ``tests/api_contract.py``).

The four services are fuzzed two at a time, each in a process of its own on this session's test
database, exchange and task queue, as soon as the first of these tests asks; each test then
reads its own service's and token's result. The run's figures (seconds per service and token,
the wall time of the whole) are printed at the end of the session."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import pytest

from centrale.testing import isolated_environment

pytestmark = pytest.mark.integration

# The longest first, so that two processes finish together (about 100 and 85 s on CI for
# veille and formation, 75 and 70 s for accompagnement and notifications).
SERVICES = ("veille", "formation", "accompagnement", "notifications")
RUNNER = Path(__file__).with_name("api_contract.py")
AT_ONCE = 2  # the machine's cores: a third process would only share them


def fuzz(service: str, env: dict[str, str]) -> dict:
    done = subprocess.run([sys.executable, str(RUNNER), service], env=env, capture_output=True,
                          text=True, timeout=280)
    if done.returncode != 0:
        raise AssertionError(f"the fuzzing of {service} stopped ({done.returncode}):\n"
                             f"{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def contract_runs(request) -> dict[str, Future]:
    wanted = {item.callspec.params["service"] for item in request.session.items
              if item.module is request.module}  # only those selected (-k, a node id)
    environments = {service: {**os.environ, **isolated_environment(service)}
                    for service in SERVICES if service in wanted}
    started = time.monotonic()
    with ThreadPoolExecutor(AT_ONCE) as pool:
        runs = {service: pool.submit(fuzz, service, environment)
                for service, environment in environments.items()}
        yield runs
    figures = []
    for service, run in runs.items():
        if run.exception() is None:
            figures += [f"{service}-{who} {result['seconds']} s"
                        for who, result in run.result().items()]
    plugins = request.config.pluginmanager
    reporter, capture = plugins.get_plugin("terminalreporter"), plugins.get_plugin("capturemanager")
    if reporter is not None and capture is not None:
        with capture.global_and_fixture_disabled():  # the figures belong in the run's output
            reporter.write_line(f"\nschemathesis, {len(runs)} API × 2 jetons en"
                                f" {time.monotonic() - started:.0f} s ({AT_ONCE} à la fois) : "
                                + ", ".join(figures))


@pytest.mark.parametrize("who", ("service", "membre"))
@pytest.mark.parametrize("service", SERVICES)
def test_every_api_keeps_its_openapi_contract(contract_runs, service, who):
    result = contract_runs[service].result()[who]
    assert result["errors"] == []
    assert result["operations"] >= 3
    assert result["failures"] == [], "\n".join(result["failures"])
