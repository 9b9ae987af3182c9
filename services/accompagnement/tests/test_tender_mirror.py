"""Veille's tender events, received over the real RabbitMQ, keep accompagnement's own copy of
the tenders; a corrigendum moving the deadline re-plans every open case's reminders."""

import pytest

from accompagnement.handlers import handlers
from centrale.bus import Bus
from centrale.events import Event
from centrale.testing import running_consumer, wait_until
from centrale.testing.clock import paris_at, same_time_days_before

from .conftest import tender_data

pytestmark = pytest.mark.integration


def publish(settings, event_type: str, data: dict) -> Event:
    event = Event(type=event_type, subject=f"tender:{data['tender_id']}", producer="veille",
                  data=data)
    bus = Bus.from_settings(settings)
    bus.publish_many([event.to_message()])
    bus.close()
    return event


def handled(db, event: Event) -> bool:
    with db.transaction() as conn:
        return conn.execute("SELECT 1 FROM centrale_inbox WHERE event_id = %s",
                            (event.id,)).fetchone() is not None


def test_a_corrigendum_moves_the_deadline_of_every_open_case(
        settings, db, client, worker, service_headers, new_structure):
    # Far enough that even the moved deadline's J-15 is still ahead.
    first, moved = paris_at(36, 12), paris_at(50, 12)
    published = tender_data(deadline=first, title="Tri et numérisation des archives",
                            reserved=["sheltered_workshop"])
    with running_consumer(settings, db, handlers(settings)):
        publish(settings, "tender.published", published)
        tender_id = published["tender_id"]
        mirrored = wait_until(lambda: client.get(f"/api/tenders/{tender_id}",
                                                 headers=service_headers).json.get("id"),
                              timeout=15, message="tender not mirrored")
        assert mirrored == tender_id
        tender = client.get(f"/api/tenders/{tender_id}", headers=service_headers).json
        assert (tender["title"], tender["deadline"], tender["buyer_name"], tender["version"]) == (
            "Tri et numérisation des archives", first.isoformat(),
            "Ville de Saint-Chamond", 1)
        assert [lot["id"] for lot in tender["lots"]] == ["1", "2"]

        opened, closed = (client.post("/api/cases", headers=service_headers, json={
            "structure_id": new_structure()["id"], "tender_id": tender_id}).json
            for _ in range(2))
        client.post(f"/api/cases/{closed['id']}/stage", headers=service_headers,
                    json={"stage": "abandoned"})

        corrigendum = publish(settings, "tender.updated", {
            "tender_id": tender_id, "version": 2,
            "changes": {"deadline": {"before": first.isoformat(), "after": moved.isoformat()}},
            "title": published["title"], "deadline": moved.isoformat(),
            "tender": published["tender"]})
        wait_until(lambda: handled(db, corrigendum), timeout=15, message="update not handled")
        case = client.get(f"/api/cases/{opened['id']}", headers=service_headers).json
        assert case["deadline"] == moved.isoformat()

        def replanned():
            state = client.get(f"/api/cases/{opened['id']}/state", headers=service_headers).json
            return state if state["deadline"] == case["deadline"] else None

        state = wait_until(replanned, timeout=10, message="workflow not signalled")
        assert [(r["days_before"], r["at"]) for r in state["next_reminders"]] == [
            (days, same_time_days_before(moved, days).isoformat()) for days in (15, 7, 2, 1)]
        # The abandoned case keeps the deadline it had.
        assert client.get(f"/api/cases/{closed['id']}", headers=service_headers).json[
            "deadline"] == first.isoformat()

        # Delivered late, the original notice does not bring the old deadline back.
        late = publish(settings, "tender.published", published)
        wait_until(lambda: handled(db, late), timeout=15, message="late event not handled")
        tender = client.get(f"/api/tenders/{tender_id}", headers=service_headers).json
        assert (tender["deadline"], tender["version"]) == (moved.isoformat(), 2)


def test_tenders_read_by_everyone_signed_in(client, make_headers, publish_tender):
    tender = publish_tender()
    member = make_headers("membre", structure_id=1)
    listed = client.get("/api/tenders?limit=200", headers=member)
    assert listed.status_code == 200
    assert tender["tender_id"] in {t["id"] for t in listed.json}
    assert client.get("/api/tenders/123456789", headers=member).status_code == 404
    assert client.get("/api/tenders").status_code == 401


def test_a_tender_cancelled_is_told_to_every_open_case_and_stops_its_reminders(
        settings, db, client, worker, service_headers, new_structure):
    from accompagnement.store import alerts as alert_store
    from centrale.testing import outbox_events

    published = tender_data(title="Entretien des vitres de la médiathèque")
    tender_id = published["tender_id"]
    alerted, unknown = new_structure(), new_structure()
    with running_consumer(settings, db, handlers(settings)):
        publish(settings, "tender.published", published)
        wait_until(lambda: client.get(f"/api/tenders/{tender_id}",
                                      headers=service_headers).json.get("id"),
                   timeout=15, message="tender not mirrored")
        cases = [client.post("/api/cases", headers=service_headers, json={
            "structure_id": s["id"], "tender_id": tender_id}).json for s in (alerted, unknown)]
        cancelled = publish(settings, "tender.cancelled", {
            "tender_id": tender_id, "title": published["title"], "result": "cancelled",
            "structure_ids": [alerted["id"]], "lots": []})
        wait_until(lambda: handled(db, cancelled), timeout=15, message="result not handled")
        publish(settings, "tender.cancelled", {**cancelled.data})  # told again: nothing more
        told = wait_until(lambda: len(outbox_events(db, "case.tender_closed")) >= 2 and
                          outbox_events(db, "case.tender_closed"), timeout=10)
    told = [e["data"] for e in told if e["data"]["tender_id"] == tender_id]
    assert sorted((d["case_id"], d["result"], d["structure_told"]) for d in told) == [
        (cases[0]["id"], "cancelled", True), (cases[1]["id"], "cancelled", False)]
    notes = client.get(f"/api/cases/{cases[0]['id']}/notes", headers=service_headers).json
    assert [n["body"] for n in notes] == [
        "La veille annonce que l'appel d'offres est déclaré sans suite."]
    with db.transaction() as conn:
        assert not alert_store.deadline_reminder(conn, cases[0]["id"], published["deadline"], 7,
                                                 "diagnosis")
