"""The notify handler and its contracts: a malformed event is refused with nothing recorded
(the consumer retries it, then dead-letters it); events it does not handle change nothing."""

import pytest
from marshmallow import ValidationError

from centrale.events import Event

pytestmark = pytest.mark.integration


def count(db, sql, *params):
    with db.transaction() as conn:
        return conn.execute(sql, params).fetchone()["n"]


def test_a_malformed_event_is_refused_and_leaves_nothing(factory, notify, db):
    broken = Event(type="case.deadline_reminder", subject="case:1", producer="tests",
                   data={"case_id": 1, "structure_id": 2, "title": "sans date"})
    with pytest.raises(ValidationError):
        notify(broken)
    assert count(db, "SELECT count(*) AS n FROM centrale_inbox WHERE event_id = %s",
                 broken.id) == 0
    assert count(db, "SELECT count(*) AS n FROM notifications WHERE event_id = %s",
                 broken.id) == 0


def test_events_without_notification_change_nothing(factory, notify, db):
    published = factory.event("tender.published", "tender:1", {
        "tender_id": 1, "source": "boamp", "source_id": "27-1", "title": "Voirie"})
    assert notify(published) == [True]
    assert count(db, "SELECT count(*) AS n FROM notifications WHERE event_id = %s",
                 published.id) == 0


def test_the_api_documents_itself(make_service_app):
    spec = make_service_app("notifications").test_client().get("/openapi.json").json
    assert {"/api/feed", "/api/feed/unread-count", "/api/feed/{notification_id}/read",
            "/api/preferences", "/api/preferences/{kind}", "/api/deliveries",
            "/api/structures/{structure_id}/calendar", "/api/digests"} <= set(spec["paths"])
