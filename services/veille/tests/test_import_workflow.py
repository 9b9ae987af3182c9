"""The import workflow: started from veille's API, completed by veille's worker (real Temporal)."""

import pytest

from centrale.db import Database
from centrale.testing import prepared_settings, running_worker, wait_until
from veille.activities import VeilleActivities
from veille.workflows import ImportNoticesWorkflow

pytestmark = pytest.mark.integration

NOTICES = [
    {"source": "boamp", "source_id": f"26-9100{i}", "title": f"Entretien des espaces verts, lot {i}",
     "buyer": {"name": "Saint-Étienne Métropole"}, "cpv_main": "77311000",
     "deadline": "2027-02-01T12:00:00+01:00"}
    for i in range(3)
]


def test_an_import_started_from_the_api_is_completed_by_the_worker(make_service_app, veille_db,
                                                                   service_headers):
    app = make_service_app("veille")
    client = app.test_client()
    settings = prepared_settings("veille")
    db = Database.from_settings(settings).open()
    with running_worker(settings, [ImportNoticesWorkflow], VeilleActivities(db, settings).all()):
        started = client.post("/api/imports", json={"notices": NOTICES}, headers=service_headers)
        assert started.status_code == 202
        workflow_id = started.json["workflow_id"]

        def finished():
            status = client.get(f"/api/imports/{workflow_id}", headers=service_headers).json
            return status if status["status"] == "COMPLETED" else None

        status = wait_until(finished, timeout=30, message="import workflow did not complete")
    assert status["result"] == {"created": 3, "updated": 0, "unchanged": 0, "quarantined": 0}
    with db.transaction() as conn:
        titles = {r["title"] for r in conn.execute(
            "SELECT t.title FROM tenders t JOIN tender_notices n ON n.tender_id = t.id"
            " WHERE n.source_id LIKE '26-9100%'").fetchall()}
    assert titles == {n["title"] for n in NOTICES}
    db.close()


def test_an_unknown_import_is_a_404(make_service_app, service_headers):
    client = make_service_app("veille").test_client()
    assert client.get("/api/imports/import-nope", headers=service_headers).status_code == 404
    assert client.get("/api/imports/other", headers=service_headers).status_code == 404
