"""Schemathesis over one service's own OpenAPI document, as its command line runs it with
``--checks all`` and every phase (examples, coverage, fuzzing, stateful), once with a service
token and once with a member's: the API keeps its own contract — no 5xx, every status, content
type, header and body as documented, schema-valid requests accepted and invalid ones refused.

``python tests/api_contract.py <service>`` runs both tokens against the service's WSGI app served
on a loopback port, on the database, exchange and task queue its environment names (a test
session's, given by ``tests/test_api_fuzz.py``), and prints one JSON line: for each token, the
failures found (one line each), the number of operations tested and the seconds it took. A
process of its own, so that two services are fuzzed at once on two cores: the engine and the
app share one interpreter, and threads would only take turns on its lock.

The examples per operation are bounded and the seed fixed.

Two refinements of the built-in checks, both stricter where they differ:

- ``positive_data_acceptance`` also admits a 422 — but only a refusal by a rule of the domain
  (problem type ``…:regle``: a SIRET whose key is wrong, a structure that does not exist), which
  no schema can express; ``schema_valid_input_passes_validation`` fails any other 422 (the
  request parser's or the database's) answering a request the document says is valid.
- ``json_headers_conform`` validates headers documented as JSON content (``X-Pagination``),
  which the built-in header check leaves alone; ``problems_are_french`` fails an error message
  left in marshmallow's or webargs' English.
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import threading
import time
from contextlib import contextmanager

import jsonschema_rs
import schemathesis
from schemathesis.config import HealthCheck, SchemathesisConfig
from schemathesis.core import NOT_SET
from schemathesis.engine import events, from_schema
from werkzeug.serving import WSGIRequestHandler, make_server

from centrale.auth import issue_token, service_token
from centrale.problems import PROBLEM_JSON, RULE_PROBLEM
from centrale.settings import load_settings

EXAMPLES = 10
SEED = 20261207
PHASES = ["examples", "coverage", "fuzzing", "stateful"]
ENGLISH = re.compile(r"\b(Must be|Not a valid|Missing data|Unknown field|Invalid|Shorter than|"
                     r"Longer than|Length must|may not be|does not match|One or more|"
                     r"Field may|cannot be formatted|The requested URL|The browser)\b")


@schemathesis.check
def schema_valid_input_passes_validation(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    body = _problem(response)
    if body.get("type") != RULE_PROBLEM:
        raise AssertionError("Schema-valid request refused by the parser or the database: "
                             f"{json.dumps(body, ensure_ascii=False)[:500]}")
    return None


@schemathesis.check
def json_headers_conform(ctx, response, case):
    definition = case.operation.responses.find_by_status_code(response.status_code)
    if definition is None:
        return None
    for name, header in (definition.definition.get("headers") or {}).items():
        header = _resolve(case, header)
        content = (header.get("content") or {}).get("application/json")
        value = next((values[0] for key, values in response.headers.items()
                      if key.lower() == name.lower()), None)
        if content is None or value is None:
            continue
        schema = _resolve(case, content["schema"])
        try:
            jsonschema_rs.validate(schema, json.loads(value))
        except (ValueError, jsonschema_rs.ValidationError) as error:
            raise AssertionError(f"{name} is not the documented JSON: {error}") from None
    return None


@schemathesis.check
def problems_are_french(ctx, response, case):
    if response.status_code < 400:
        return None
    body = _problem(response)
    found = ENGLISH.search(json.dumps(body, ensure_ascii=False))
    if found:
        raise AssertionError(f"English in an error: {found.group()!r} in {body}")
    return None


def _problem(response) -> dict:
    content_type = next((values[0] for name, values in response.headers.items()
                         if name.lower() == "content-type"), "")
    if content_type.split(";")[0].strip() != PROBLEM_JSON:
        return {}
    try:
        return json.loads(response.content)
    except ValueError:
        return {}


def _resolve(case, node: dict) -> dict:
    document = case.operation.schema.raw_schema
    while "$ref" in node:
        for part in node["$ref"].lstrip("#/").split("/"):
            document = document[part]
        node, document = document, case.operation.schema.raw_schema
    return node


class QuietHandler(WSGIRequestHandler):
    def log_request(self, *args, **kwargs):
        pass


@contextmanager
def served(app):
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=QuietHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)


def run_schemathesis(base_url: str, token: str) -> tuple[list[str], list[str], int]:
    """Schemathesis' run, as ``st run --checks all`` with the phases above: the failures found
    (one line each), the engine's own errors, and the number of operations tested."""
    config = SchemathesisConfig.from_dict({
        # Every run from scratch: no observations kept between runs (nor files left behind).
        "cache": {"enabled": False},
        "checks": {"positive_data_acceptance": {
            "expected-statuses": ["2xx", "3xx", "401", "403", "404", "409", "422", "429"]}},
    })
    config.update(seed=SEED, max_failures=None)
    project = config.projects.override
    # Hypothesis' health checks judge the generator, not the API: a text's pattern beside a
    # format (date-time, uri) makes it discard many drafts, and a loaded machine makes it slow.
    project.update(headers={"Authorization": f"Bearer {token}"}, workers=1,
                   suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
    project.phases.update(phases=PHASES)
    project.checks.update(included_check_names=["all"])
    project.generation.update(max_examples=EXAMPLES, deterministic=True, database="none")
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json", config=config)
    failures, operations, errors = set(), set(), []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            operations.add(event.recorder.label)
            for case_id, nodes in event.recorder.checks.items():
                for node in nodes:
                    if node.failure_info is None:
                        continue
                    case = event.recorder.cases[case_id].value
                    failure = node.failure_info.failure
                    message = " ".join(failure.message.split())[:400]
                    body = "" if case.body is NOT_SET else f" body={str(case.body)[:200]}"
                    failures.add(f"{event.recorder.label} [{node.name}] {failure.title}: "
                                 f"{case.method} {case.formatted_path} query={case.query}"
                                 f"{body} — {message}")
        elif isinstance(event, (events.NonFatalError, events.FatalError)):
            errors.append(f"{getattr(event, 'label', '')}: "
                          + repr(getattr(event, "value", None) or event.exception)[:300])
    return sorted(failures), errors, len(operations)


WHO = ("service", "membre")


def token_for(who: str, secret: str) -> str:
    if who == "service":
        return service_token(secret, "fuzz", ttl_s=3600)
    return issue_token(secret, "fuzz", "user:fuzz@example.org", "membre", structure_id=1,
                       email="fuzz@example.org", ttl_s=3600)


def fuzz_service(service: str) -> dict[str, dict]:
    """Both tokens' runs over ``service``: {who: {failures, errors, operations, seconds}}."""
    settings = load_settings(service)
    app = importlib.import_module(f"{service}.app").create_app(settings)
    app.config["TESTING"] = True
    results = {}
    try:
        with served(app) as base_url:
            for who in WHO:
                started = time.monotonic()
                failures, errors, operations = run_schemathesis(
                    base_url, token_for(who, settings.token_secret))
                results[who] = {"failures": failures, "errors": errors,
                                "operations": operations,
                                "seconds": round(time.monotonic() - started, 1)}
    finally:
        app.extensions["centrale"].db.close()
        app.extensions["centrale"].bus.close()
    return results


if __name__ == "__main__":
    print(json.dumps(fuzz_service(sys.argv[1]), ensure_ascii=False))
