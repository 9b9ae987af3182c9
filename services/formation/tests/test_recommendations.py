"""diagnosis.completed from accompagnement, over the real RabbitMQ, becomes recommendations
with the upcoming sessions of the recommended modules."""

from datetime import datetime, timedelta, timezone

import pytest

from centrale.bus import Bus
from centrale.events import Event
from centrale.testing import running_consumer, wait_until
from centrale.french import PARIS
from formation.handlers import handlers

pytestmark = pytest.mark.integration

STRUCTURE = 41


def diagnosis(case_id, modules):
    return Event(type="diagnosis.completed", subject=f"case:{case_id}",
                 producer="accompagnement",
                 data={"case_id": case_id, "structure_id": STRUCTURE, "decision": "review",
                       "score": 0.55, "recommended_modules": modules})


def test_a_diagnosis_recommends_modules_with_their_upcoming_sessions(
        client, db, settings, make_session, move_session, make_headers):
    dume = make_session(module_code="dume", days=20)
    groupement = make_session(module_code="groupement", days=25)
    past = make_session(module_code="dume", days=10)
    move_session(past["id"], datetime.now(PARIS) - timedelta(days=2))
    cancelled = make_session(module_code="dume", days=12)
    move_session(cancelled["id"], datetime.now(PARIS) + timedelta(days=12), status="cancelled")

    first = diagnosis(501, ["dume", "GROUPEMENT", "module-qui-n-existe-pas"])
    with running_consumer(settings, db, handlers(settings)):
        bus = Bus.from_settings(settings)
        # Delivered twice: the inbox keeps a single effect.
        bus.publish_many([first.to_message(), first.to_message(),
                          diagnosis(502, ["dume"]).to_message()])
        bus.close()
        member = make_headers("membre", structure_id=STRUCTURE)

        def recommended():
            response = client.get(f"/api/structures/{STRUCTURE}/recommendations",
                                  headers=member)
            modules = response.json["modules"]
            dume_cases = [m["case_ids"] for m in modules if m["code"] == "dume"]
            return modules if dume_cases == [[501, 502]] else None

        modules = wait_until(recommended, timeout=20, message="recommendations not recorded")

    assert sorted(m["code"] for m in modules) == ["dume", "groupement"]  # unknown code hidden
    by_code = {m["code"]: m for m in modules}
    assert by_code["groupement"]["title"] == "Répondre en groupement solidaire"
    assert by_code["groupement"]["case_ids"] == [501]
    dume_sessions = [s["id"] for s in by_code["dume"]["sessions"]]
    assert dume["id"] in dume_sessions
    assert past["id"] not in dume_sessions and cancelled["id"] not in dume_sessions
    assert groupement["id"] in [s["id"] for s in by_code["groupement"]["sessions"]]
    assert all(s["status"] == "scheduled" and s["module_code"] == "dume"
               for s in by_code["dume"]["sessions"])
    with db.transaction() as conn:
        handled = conn.execute("SELECT count(*) AS n FROM centrale_inbox WHERE event_id = %s",
                               (first.id,)).fetchone()
    assert handled["n"] == 1

    assert client.get(f"/api/structures/{STRUCTURE}/recommendations",
                      headers=make_headers("membre", structure_id=STRUCTURE + 1)
                      ).status_code == 404
    nothing = client.get("/api/structures/999/recommendations",
                         headers=make_headers("conseiller"))
    assert nothing.json == {"structure_id": 999, "modules": []}


def test_a_new_session_is_recommended_to_the_structures_that_still_need_it(
        db, make_session, move_session):
    """Structure 61's diagnosis recommended the module: told. Structure 62's too, but one of
    its people attended it already: not told. Structure 63 was recommended another module."""
    from formation.store import recommendations as store
    from centrale.testing import outbox_events

    now = datetime.now(PARIS)
    with db.transaction() as conn:
        store.record_recommendations(conn, 61, 701, ["chiffrage"], now)
        store.record_recommendations(conn, 62, 702, ["chiffrage"], now)
        store.record_recommendations(conn, 63, 703, ["dume"], now)
    attended = make_session(module_code="chiffrage", days=5)
    move_session(attended["id"], now - timedelta(days=30), status="held")
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO registrations (session_id, structure_id, person_name, email, status,"
            " registered_by, attended) VALUES (%s, 62, 'Léa', 'lea@esat.example', 'confirmed',"
            " 'tests', true)", (attended["id"],))

    session = make_session(module_code="chiffrage", days=40, close_hours=48)
    told = [e["data"] for e in outbox_events(db, "training.session_recommended")
            if e["data"]["session_id"] == session["id"]]
    assert [t["structure_id"] for t in told] == [61]
    [for_61] = told
    assert for_61["case_ids"] == [701]
    assert for_61["module_code"] == "chiffrage"
    # 48 real hours: subtracted in UTC (a Paris datetime subtracts by wall clock, an hour
    # off when a daylight-saving change falls in between).
    assert datetime.fromisoformat(for_61["registrations_close_at"]) == \
        session["starts_at"].astimezone(timezone.utc) - timedelta(hours=48)
