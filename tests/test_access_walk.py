"""Every route of every service declares who may call it (``centrale.web``'s ``staff_only``,
``member_scope``, ``open_to_members``), documents it in its OpenAPI document (``x-access``,
401 and 403 or 404), and enforces it before reading the request: walked from each service's
own document as a member of a structure that owns nothing, with a body and a query no schema
accepts, a staff route answers 403 and a member-scoped one 404 — never the 422 of a body the
member may not send. Routes documented as open to members may read what they were sent."""

import re

import pytest

pytestmark = pytest.mark.integration

SERVICES = ("veille", "accompagnement", "formation", "notifications")
METHODS = ("get", "post", "put", "patch", "delete")
OTHER_STRUCTURE = 987_654_321  # the member's structure: no resource of the tests is its
# Every id in a path names something that does not exist, or is not the member's.
ACCESS_ANSWERS = {"staff": ("403", 403), "member-scope": ("404", 404)}
# No schema of the platform takes a JSON list of these, nor these query values.
UNREADABLE_BODY = [{"\u0000": "x" * 10}]
UNREADABLE_QUERY = {"limit": "-1x", "offset": "beaucoup", "structure_id": "autre",
                    "page": "zéro", "start": "hier", "end": "demain"}


def operations(spec):
    for path, item in spec["paths"].items():
        if path.startswith("/api/"):
            for method in METHODS:
                if method in item:
                    parameters = item.get("parameters", []) + item[method].get("parameters", [])
                    yield path, method, {**item[method], "parameters": parameters}


def concrete(path: str, operation: dict) -> str:
    kinds = {p["name"]: p.get("schema", {}).get("type") for p in operation["parameters"]
             if p.get("in") == "path"}

    def value(match):
        return "123456789" if kinds.get(match.group(1)) == "integer" else "inconnu"

    return re.sub(r"\{([^}]+)\}", value, path)


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_declares_and_documents_who_may_call_it(make_service_app, service):
    spec = make_service_app(service).test_client().get("/openapi.json").json
    undeclared = []
    for path, method, operation in operations(spec):
        access = operation.get("x-access")
        responses = operation.get("responses", {})
        if access not in ("staff", "member-scope", "members"):
            undeclared.append(f"{method.upper()} {path}")
            continue
        assert "401" in responses, (method, path)
        if access in ACCESS_ANSWERS:
            assert ACCESS_ANSWERS[access][0] in responses, (method, path)
    assert undeclared == []


@pytest.mark.parametrize("service", SERVICES)
def test_a_member_of_another_structure_is_refused_before_any_validation(
        make_service_app, make_headers, service):
    client = make_service_app(service).test_client()
    spec = client.get("/openapi.json").json
    member = make_headers("membre", structure_id=OTHER_STRUCTURE, subject="user:ailleurs")
    refused = open_ones = 0
    for path, method, operation in operations(spec):
        response = client.open(concrete(path, operation), method=method.upper(),
                               json=UNREADABLE_BODY, query_string=UNREADABLE_QUERY,
                               headers=member)
        where = (method.upper(), path, response.status_code, response.get_data(as_text=True))
        access = operation["x-access"]
        if access in ACCESS_ANSWERS:
            assert response.status_code == ACCESS_ANSWERS[access][1], where
            assert response.mimetype == "application/problem+json", where
            refused += 1
        else:
            assert response.status_code < 500, where
            open_ones += 1
    assert refused >= 3 and refused + open_ones == len(list(operations(spec)))
