"""The digest workflow, started from the API and completed by the worker."""

import pytest

from centrale.db import Database
from centrale.events import Event
from centrale.testing import prepared_settings, running_worker, wait_until
from notifications import store
from notifications.activities import DigestActivities
from notifications.workflows import DigestWorkflow

pytestmark = pytest.mark.integration


def test_a_digest_counts_only_what_is_new_since_the_previous_one(make_service_app,
                                                                 service_headers):
    app = make_service_app("notifications")
    client = app.test_client()
    settings = prepared_settings("notifications")
    db = Database.from_settings(settings).open()

    def run_digest():
        started = client.post("/api/digests", headers=service_headers)
        assert started.status_code == 202
        wid = started.json["workflow_id"]

        def done():
            status = client.get(f"/api/digests/{wid}", headers=service_headers).json
            return status if status["status"] == "COMPLETED" else None

        return wait_until(done, timeout=30)["result"]

    with running_worker(settings, [DigestWorkflow], DigestActivities(db).all()):
        run_digest()  # whatever earlier tests left is now behind us
        with db.transaction() as conn:
            for i in range(3):
                store.record_received(conn, Event(type="case.opened", subject=f"case:{i}",
                                                  producer="tests", data={"case_id": i}))
        assert run_digest()["event_count"] == 3
        assert run_digest()["event_count"] == 0
    db.close()


def test_received_events_are_for_staff_only(make_service_app, make_headers):
    client = make_service_app("notifications").test_client()
    assert client.get("/api/events", headers=make_headers("membre", structure_id=1)
                      ).status_code == 403
    assert client.get("/api/events", headers=make_headers("conseiller")).status_code == 200
