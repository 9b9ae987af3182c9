"""diagnosis.completed from accompagnement, over the real RabbitMQ, becomes recommendations
with the upcoming sessions of the recommended modules."""

from datetime import datetime, timedelta

import pytest

from centrale.bus import Bus
from centrale.events import Event
from centrale.testing import running_consumer, wait_until
from formation.domain.french import PARIS
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
