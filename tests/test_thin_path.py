"""The thin path through everything, in one process: veille's API → Temporal workflow →
outbox → RabbitMQ → notifications' consumer, recorded once even when delivered twice."""

import threading

import pytest

from centrale.bus import Bus
from centrale.db import Database
from centrale.outbox import OutboxRelay
from centrale.testing import prepared_settings, running_consumer, running_worker, wait_until
from notifications.handlers import handlers as notification_handlers
from veille.activities import VeilleActivities
from veille.workflows import ImportNoticesWorkflow

pytestmark = pytest.mark.integration

NOTICE = {"source": "boamp", "source_id": "26-77777", "notice_type": "contract",
          "title": "Restauration scolaire — marché réservé aux structures d'insertion",
          "buyer": {"name": "Ville du Puy-en-Velay"}, "cpv_main": "55523100",
          "deadline": "2027-02-15T12:00:00+01:00"}


def journal_rows(db, source_id):
    with db.transaction() as conn:
        return conn.execute(
            "SELECT event_id, event_type FROM received_events WHERE data->>'source_id' = %s",
            (source_id,)).fetchall()


def test_a_tender_saved_in_veille_reaches_notifications_once(make_service_app, service_headers):
    veille_settings = prepared_settings("veille")
    notif_settings = prepared_settings("notifications")
    veille_db = Database.from_settings(veille_settings).open()
    notif_db = Database.from_settings(notif_settings).open()
    relay = OutboxRelay(veille_db, Bus.from_settings(veille_settings), idle_wait_s=0.2)
    relay_thread = threading.Thread(target=relay.run_forever, daemon=True)
    client = make_service_app("veille").test_client()

    with running_consumer(notif_settings, notif_db, notification_handlers(notif_settings)), \
            running_worker(veille_settings, [ImportNoticesWorkflow],
                           VeilleActivities(veille_db, veille_settings).all()):
        relay_thread.start()
        started = client.post("/api/imports", json={"notices": [NOTICE]}, headers=service_headers)
        assert started.status_code == 202
        rows = wait_until(lambda: journal_rows(notif_db, "26-77777"), timeout=30,
                          message="tender.published never reached notifications")
        assert [r["event_type"] for r in rows] == ["tender.published"]

        # The broker delivers the same envelope again: still one row.
        with veille_db.transaction() as conn:
            envelope = conn.execute(
                "SELECT envelope FROM centrale_outbox WHERE id = %s", (rows[0]["event_id"],)
            ).fetchone()["envelope"]
        Bus.from_settings(veille_settings).publish_many([envelope, envelope])
        marker = {**NOTICE, "source_id": "26-77778", "title": "Blanchisserie du linge des crèches"}
        client.post("/api/tenders", json=marker, headers=service_headers)
        wait_until(lambda: journal_rows(notif_db, "26-77778"), timeout=30)
        assert len(journal_rows(notif_db, "26-77777")) == 1
    relay.stop()
    relay_thread.join(5)
    veille_db.close()
    notif_db.close()
