"""Per-structure access on every endpoint: a member never reads or changes another
structure's registrations; no token or a forged one gets 401 everywhere."""

import re

import pytest

from centrale.auth import issue_token
from centrale.testing import bearer

from .conftest import yesterday_morning

pytestmark = pytest.mark.integration

MINE, OTHER = 31, 32


@pytest.fixture
def world(client, db, make_session, move_session, service_headers):
    """A held session with one person of each structure, both present; an upcoming session."""
    held = make_session(capacity=5, module_code="chiffrage")
    ids = {}
    for structure in (MINE, OTHER):
        ids[structure] = client.post(
            f"/api/sessions/{held['id']}/registrations", headers=service_headers,
            json={"name": f"Personne {structure}", "email": f"p{structure}.{held['id']}@x.org",
                  "structure_id": structure}).json["id"]
    move_session(held["id"], yesterday_morning(), status="held")
    client.post(f"/api/sessions/{held['id']}/attendance", headers=service_headers,
                json={"attendance": [{"registration_id": i, "attended": True}
                                     for i in ids.values()]})
    upcoming = make_session(capacity=5, module_code="chiffrage")
    return {"held": held["id"], "upcoming": upcoming["id"], "mine": ids[MINE],
            "other": ids[OTHER]}


# method, path, body, status for a member of MINE acting on OTHER's data
FORBIDDEN_TO_MEMBER = [
    ("GET", "/api/registrations/{other}", None, 404),
    ("POST", "/api/registrations/{other}/cancel", None, 404),
    ("POST", "/api/registrations/{other}/survey", {"score": 1}, 404),
    ("GET", "/api/registrations/{other}/certificate.pdf", None, 404),
    ("GET", "/api/registrations?structure_id=" + str(OTHER), None, 403),
    ("POST", "/api/sessions/{upcoming}/registrations",
     {"name": "Intrus", "email": "intrus@x.org", "structure_id": OTHER}, 403),
    ("POST", "/api/sessions/{held}/attendance",
     {"attendance": [{"registration_id": "{other}", "attended": False}]}, 403),
    ("POST", "/api/sessions/{upcoming}/cancel", {"reason": "Pour voir"}, 403),
    ("GET", "/api/structures/" + str(OTHER) + "/recommendations", None, 404),
    ("GET", f"/api/figures?start=2024-01-01&end=2030-12-31&structure_id={OTHER}", None, 403),
    ("POST", "/api/sessions", {"module_code": "dume", "starts_at": "2030-01-01T09:00:00+01:00",
                               "ends_at": "2030-01-01T12:00:00+01:00", "place": "Ici",
                               "trainer": "Moi", "capacity": 3}, 403),
    ("POST", "/api/modules", {"code": "pirate", "title": "Pirate", "duration_h": 1}, 403),
]


def fill(value, world):
    if isinstance(value, str):
        filled = value.format(**world)
        return int(filled) if re.fullmatch(r"\d+", filled) and value.startswith("{") else filled
    if isinstance(value, dict):
        return {k: fill(v, world) for k, v in value.items()}
    if isinstance(value, list):
        return [fill(v, world) for v in value]
    return value


@pytest.mark.parametrize(("method", "path", "body", "status"), FORBIDDEN_TO_MEMBER,
                         ids=[f"{m} {p}" for m, p, _b, _s in FORBIDDEN_TO_MEMBER])
def test_a_member_never_reads_or_changes_another_structures_data(
        client, db, world, make_headers, method, path, body, status):
    member = make_headers("membre", structure_id=MINE)
    response = client.open(fill(path, world), method=method, headers=member,
                           json=fill(body, world))
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    with db.transaction() as conn:
        other = conn.execute("SELECT status, attended, surveyed_at FROM registrations"
                             " WHERE id = %s", (world["other"],)).fetchone()
    assert other == {"status": "confirmed", "attended": True, "surveyed_at": None}


def test_lists_only_show_a_members_own_structure(client, world, make_headers):
    member = make_headers("membre", structure_id=MINE)
    for url in (f"/api/sessions/{world['held']}/registrations", "/api/registrations",
                f"/api/registrations?session_id={world['held']}"):
        rows = client.get(url, headers=member).json
        assert rows and {r["structure_id"] for r in rows} == {MINE}, url
    # and the member's own registration is fully theirs
    assert client.get(f"/api/registrations/{world['mine']}", headers=member).status_code == 200
    assert client.get(f"/api/registrations/{world['mine']}/certificate.pdf",
                      headers=member).status_code == 200
    assert client.post(f"/api/registrations/{world['mine']}/survey", headers=member,
                       json={"score": 4}).status_code == 201


def api_routes(app):
    """Every /api/ route with a method, ids filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/"):
            continue
        path = re.sub(r"<int:[a-z_]+>", "1", rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield method, path


def test_every_endpoint_needs_a_valid_token(app, client):
    routes = list(api_routes(app))
    assert len(routes) >= 16
    forged = bearer(issue_token("un-autre-secret-qui-n-est-pas-le-bon-000000", "x",
                                "user:x", "membre", structure_id=MINE))
    for method, path in routes:
        for headers in ({}, forged, {"Authorization": "Basic dXNlcjpwYXNz"}):
            response = client.open(path, method=method, headers=headers, json={})
            assert response.status_code == 401, (method, path, headers)
            assert response.mimetype == "application/problem+json"
            assert response.headers["WWW-Authenticate"].startswith("Bearer")
