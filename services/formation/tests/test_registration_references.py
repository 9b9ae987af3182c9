"""Issue 16, point 10: a registration is for a structure of the registry. Formation knows the
registry by its copy of accompagnement's structures, fed by structure.registered over the bus
(never by calling accompagnement): a registration for a structure it never heard of is refused
(422, by field, in French)."""

import pytest

from centrale.consumer import apply_once
from centrale.events import Event
from formation.handlers import handlers

pytestmark = pytest.mark.integration

MESSAGE = ("La structure {} n'est pas inscrite au registre des structures : inscrivez-la "
           "d'abord.")


def test_a_registration_for_a_structure_that_does_not_exist_is_refused(client, db,
                                                                       service_headers,
                                                                       make_headers,
                                                                       make_session):
    session = make_session(capacity=5)
    person = {"name": "Léa Martin", "email": "lea.martin@example.org"}
    refused = client.post(f"/api/sessions/{session['id']}/registrations",
                          headers=service_headers, json={**person, "structure_id": 876543})
    assert refused.status_code == 422, refused.json
    assert refused.json["type"] == "urn:centrale:probleme:regle"
    assert refused.json["errors"] == {"json": {"structure_id": [MESSAGE.format(876543)]}}
    member = make_headers("membre", structure_id=876544)
    by_member = client.post(f"/api/sessions/{session['id']}/registrations", headers=member,
                            json=person)
    assert by_member.json["errors"] == {"json": {"structure_id": [MESSAGE.format(876544)]}}
    with db.transaction() as conn:
        assert conn.execute("SELECT count(*) AS n FROM registrations WHERE session_id = %s",
                            (session["id"],)).fetchone()["n"] == 0
    # The registry announces the structure (what the bus consumer applies)…
    [keep] = [h for h in handlers(None) if h.name == "structures"]
    assert apply_once(db, keep, Event(type="structure.registered", producer="accompagnement",
                                      subject="structure:876543",
                                      data={"structure_id": 876543,
                                            "legal_name": "Jardins du Pilat"}))
    # … and its people are registered.
    accepted = client.post(f"/api/sessions/{session['id']}/registrations",
                           headers=service_headers, json={**person, "structure_id": 876543})
    assert accepted.status_code == 201, accepted.json
