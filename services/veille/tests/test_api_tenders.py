"""Veille's tender API over the real database: auth, validation, events."""

import pytest

from centrale.auth import issue_token
from centrale.testing import bearer, outbox_events

pytestmark = pytest.mark.integration

TENDER = {
    "source": "boamp", "source_id": "26-90001", "title": "Nettoyage des locaux de la médiathèque",
    "buyer": {"name": "Ville de Saint-Chamond", "siret": "21420207000018"},
    "cpv_main": "90911200", "deadline": "2027-01-20T12:00:00+01:00",
}


@pytest.fixture
def app(make_service_app, veille_db):
    return make_service_app("veille")


@pytest.fixture
def client(app):
    return app.test_client()


def test_a_write_without_a_token_gets_401_as_problem_json(client):
    response = client.post("/api/tenders", json=TENDER)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.json["title"] == "Authentification requise"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_forged_token_gets_401(client):
    forged = issue_token("un-autre-secret-qui-n-est-pas-le-bon-000000", "x", "service:x", "service")
    response = client.post("/api/tenders", json=TENDER, headers=bearer(forged))
    assert response.status_code == 401
    assert response.json["detail"] == "Jeton invalide."


def test_an_invalid_body_gets_422_with_field_errors(client, service_headers):
    response = client.post("/api/tenders", headers=service_headers,
                           json={**TENDER, "cpv_main": "9091", "deadline": "2027-01-20T12:00",
                                 "title": None, "unexpected": 1})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    errors = response.json["errors"]["json"]
    assert errors["cpv_main"] == ["Code CPV à 8 chiffres attendu (sans chiffre de contrôle)."]
    assert errors["deadline"] == ["Le fuseau horaire doit être précisé."]
    assert errors["title"] == ["Ce champ ne peut pas être vide."]
    assert errors["unexpected"] == ["Champ inconnu."]


def test_a_member_may_read_but_not_write(client, make_headers):
    member = make_headers("membre", structure_id=3)
    assert client.get("/api/tenders", headers=member).status_code == 200
    response = client.post("/api/tenders", json=TENDER, headers=member)
    assert response.status_code == 403


def test_saving_publishes_once_and_a_moved_deadline_is_an_update(app, client, service_headers):
    db = app.extensions["centrale"].db
    created = client.post("/api/tenders", json=TENDER, headers=service_headers)
    assert created.status_code == 201
    assert created.json["deadline"] == "2027-01-20T12:00:00+01:00"  # shown in Europe/Paris
    again = client.post("/api/tenders", json=TENDER, headers=service_headers)
    assert again.json["id"] == created.json["id"]
    assert again.json["version"] == 1
    moved = client.post("/api/tenders", headers=service_headers,
                        json={**TENDER, "deadline": "2027-01-27T12:00:00+01:00"})
    assert moved.json["version"] == 2
    assert moved.json["deadline"] == "2027-01-27T12:00:00+01:00"
    assert [v["changes"] for v in moved.json["versions"]] == [{}, {"deadline": {
        "before": "2027-01-20T12:00:00+01:00", "after": "2027-01-27T12:00:00+01:00"}}]
    published = outbox_events(db, "tender.published")
    updated = outbox_events(db, "tender.updated")
    assert len(published) == 1 and len(updated) == 1
    assert published[0]["data"]["tender_id"] == created.json["id"]
    assert updated[0]["data"]["changes"] == {"deadline": {
        "before": "2027-01-20T12:00:00+01:00", "after": "2027-01-27T12:00:00+01:00"}}


def test_an_unknown_tender_is_a_404_problem(client, service_headers):
    response = client.get("/api/tenders/999999", headers=service_headers)
    assert response.status_code == 404
    assert response.json["detail"] == "Appel d'offres 999999 introuvable."


def test_openapi_and_swagger_ui_are_served_without_token(client):
    spec = client.get("/openapi.json")
    assert spec.status_code == 200
    assert "/api/tenders" in spec.json["paths"]
    assert spec.json["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    docs = client.get("/docs")
    assert docs.status_code == 200 and b"swagger-ui" in docs.data
    assert client.get("/docs/assets/swagger-ui-bundle.js").status_code == 200


def test_an_oversized_body_gets_413(client, service_headers):
    big = {**TENDER, "description": "x" * (3 * 1024 * 1024)}
    response = client.post("/api/tenders", json=big, headers=service_headers)
    assert response.status_code == 413
    assert response.mimetype == "application/problem+json"
