"""Schemathesis against each service's own OpenAPI document, in process, with a valid service
token: whatever input it generates, no endpoint answers 5xx."""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from centrale.auth import service_token
from centrale.testing import TEST_SECRET

pytestmark = pytest.mark.integration

SERVICES = ("veille", "accompagnement", "formation", "notifications")
# Operations that start workflows or wait on Temporal get fewer examples: they are slower.
EXAMPLES = 15


@pytest.mark.parametrize("service", SERVICES)
def test_no_generated_input_makes_a_service_fail(make_service_app, service):
    app = make_service_app(service)
    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    headers = {"Authorization": f"Bearer {service_token(TEST_SECRET, 'fuzz', ttl_s=3600)}"}
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append((operation.label, response.status_code,
                                 case.path_parameters, case.query, case.body,
                                 response.text[:300]))

        check()
    assert operations >= 3
    assert failures == []
