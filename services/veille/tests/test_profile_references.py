"""Issue 16, point 10: an alert profile is for a structure of the registry. Veille knows the
registry by its copy of accompagnement's structures (structure.registered, over the bus):
a profile for a structure it never heard of is refused (422, by field, in French)."""

import pytest

from veille.store.structures import keep_structure

pytestmark = pytest.mark.integration

MESSAGE = ("La structure {} n'est pas inscrite au registre des structures : inscrivez-la "
           "d'abord.")


def test_a_profile_for_a_structure_that_does_not_exist_is_refused(make_service_app, veille_db,
                                                                  service_headers, make_headers):
    client = make_service_app("veille").test_client()
    body = {"name": "Espaces verts", "keywords": ["espaces verts"], "departments": ["42"]}
    refused = client.post("/api/profiles", headers=service_headers,
                          json={**body, "structure_id": 987654})
    assert refused.status_code == 422
    assert refused.json["type"] == "urn:centrale:probleme:regle"
    assert refused.json["errors"] == {"json": {"structure_id": [MESSAGE.format(987654)]}}
    # A member's token naming a structure the registry does not hold, the same.
    member = make_headers("membre", structure_id=987655)
    assert client.post("/api/profiles", headers=member, json=body).json["errors"] == {
        "json": {"structure_id": [MESSAGE.format(987655)]}}
    with veille_db.transaction() as conn:
        assert conn.execute("SELECT count(*) AS n FROM alert_profiles").fetchone()["n"] == 0
        # Once the registry announced it, its profile is created.
        keep_structure(conn, {"structure_id": 987654, "legal_name": "Jardins du Pilat",
                              "category": "insertion", "insertion_kind": "aci",
                              "legal_form": "association", "siret": None})
    created = client.post("/api/profiles", headers=service_headers,
                          json={**body, "structure_id": 987654})
    assert created.status_code == 201, created.json
