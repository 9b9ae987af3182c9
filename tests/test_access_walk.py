"""Every route of every service declares who may call it (``centrale.web``'s ``staff_only``,
``member_scope``, ``open_to_members``, ``open_to_signed_in``, ``open_to_roles``,
``buyer_scope``), documents it in its OpenAPI document (``x-access``, 401 and 403 or 404), and
enforces it before reading the request: walked from each service's own document as a member
of a structure that owns nothing, as a buyer that owns nothing and as the facilitator, with a
body and a query no schema accepts, a route closed to them answers 403 (staff, members, other
roles) or 404 (another's resource) — never the 422 of a body they may not send. Routes open to
them may read what they were sent."""

import re

import pytest

pytestmark = pytest.mark.integration

SERVICES = ("veille", "accompagnement", "formation", "notifications")
METHODS = ("get", "post", "put", "patch", "delete")
OTHER_STRUCTURE = 987_654_321  # the member's structure: no resource of the tests is its
# Every id in a path names something that does not exist, or is not the member's.
ACCESS_ANSWERS = {"staff": ("403", 403), "member-scope": ("404", 404),
                  "buyer-scope": ("404", 404)}
KNOWN_ACCESS = ("staff", "member-scope", "members", "signed-in", "buyer-scope")
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
        if access not in KNOWN_ACCESS and not (access or "").startswith("roles:"):
            undeclared.append(f"{method.upper()} {path}")
            continue
        assert "401" in responses, (method, path)
        if access in ACCESS_ANSWERS:
            assert ACCESS_ANSWERS[access][0] in responses, (method, path)
        if access.startswith("roles:") or access == "members":
            assert "403" in responses, (method, path)
    assert undeclared == []


def expected_answer(access: str, role: str) -> int | None:
    """What a person of ``role`` who owns nothing gets from a route: 403, 404, or None (the
    route is open to them: anything but a 5xx)."""
    if access in ACCESS_ANSWERS:
        return ACCESS_ANSWERS[access][1]
    if access == "members":
        return None if role == "membre" else 403
    if access.startswith("roles:"):
        return None if role in access.removeprefix("roles:").split(",") else 403
    return None


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
        expected = expected_answer(operation["x-access"], "membre")
        if expected is not None:
            assert response.status_code == expected, where
            assert response.mimetype == "application/problem+json", where
            refused += 1
        else:
            assert response.status_code < 500, where
            open_ones += 1
    assert refused >= 3 and refused + open_ones == len(list(operations(spec)))


@pytest.mark.parametrize("role", ("acheteur", "facilitateur"))
@pytest.mark.parametrize("service", SERVICES)
def test_buyers_and_facilitators_reach_only_what_is_opened_to_their_role(
        make_service_app, make_headers, service, role):
    client = make_service_app(service).test_client()
    spec = client.get("/openapi.json").json
    person = make_headers(role, subject=f"user:{role}-sans-rien")
    refused = 0
    for path, method, operation in operations(spec):
        response = client.open(concrete(path, operation), method=method.upper(),
                               json=UNREADABLE_BODY, query_string=UNREADABLE_QUERY,
                               headers=person)
        where = (role, method.upper(), path, response.status_code,
                 response.get_data(as_text=True)[:300])
        expected = expected_answer(operation["x-access"], role)
        if expected is not None:
            assert response.status_code == expected, where
            refused += 1
        else:
            assert response.status_code < 500, where
    assert refused >= 3
