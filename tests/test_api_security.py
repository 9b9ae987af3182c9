"""Every API endpoint of every service refuses a missing, forged or expired token — found
from each service's own OpenAPI document, so a new endpoint is covered the day it appears."""

import re
import time

import jwt
import pytest

from centrale.auth import issue_token
from centrale.testing import bearer

pytestmark = pytest.mark.integration

SERVICES = ("veille", "accompagnement", "formation", "notifications")


def endpoints(client):
    spec = client.get("/openapi.json").json
    for path, operations in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        for method in operations:
            if method in ("get", "post", "put", "patch", "delete"):
                yield method, concrete


def forged_tokens():
    now = int(time.time())
    claims = {"iss": "x", "sub": "service:x", "role": "service", "aud": "centrale",
              "iat": now, "exp": now + 60}
    return {
        "autre secret": issue_token("un-autre-secret-" + "x" * 40, "x", "service:x", "service"),
        "non signé": jwt.encode(claims, key=None, algorithm="none"),
        "expiré": None,  # filled per test with the real secret
        "rôle inconnu": None,
    }


@pytest.mark.parametrize("service", SERVICES)
def test_no_endpoint_answers_without_a_valid_token(make_service_app, token_secret, service):
    client = make_service_app(service).test_client()
    tokens = forged_tokens()
    tokens["expiré"] = issue_token(token_secret, "x", "service:x", "service", ttl_s=-5)
    now = int(time.time())
    tokens["rôle inconnu"] = jwt.encode({"iss": "x", "sub": "u", "role": "dieu", "aud": "centrale",
                                         "iat": now, "exp": now + 60}, token_secret,
                                        algorithm="HS256")
    checked = 0
    for method, path in endpoints(client):
        response = client.open(path, method=method.upper(), json={})
        assert response.status_code == 401, (method, path, response.status_code)
        assert response.mimetype == "application/problem+json"
        for name, token in tokens.items():
            forged = client.open(path, method=method.upper(), json={}, headers=bearer(token))
            assert forged.status_code == 401, (name, method, path, forged.status_code)
        checked += 1
    assert checked >= 3
