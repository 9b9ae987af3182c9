"""Capacity is never exceeded, even under concurrent registrations; the waitlist is promoted
in order. Real threads through the Flask app, real PostgreSQL."""

import threading

import psycopg
import pytest

from centrale.testing import outbox_events

pytestmark = pytest.mark.integration


def concurrently(count, action):
    """Run ``action(i)`` in ``count`` threads released together; return the results."""
    barrier = threading.Barrier(count)
    results = [None] * count
    errors = []

    def run(i):
        try:
            barrier.wait(timeout=30)
            results[i] = action(i)
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    return results


def session_events(db, event_type, session_id):
    return [e["data"] for e in outbox_events(db, event_type)
            if e["data"]["session_id"] == session_id]


def registrations(client, headers, session_id, status=None):
    query = f"?status={status}" if status else ""
    response = client.get(f"/api/sessions/{session_id}/registrations{query}", headers=headers)
    assert response.status_code == 200
    return response.json


def test_fifty_concurrent_registrations_on_ten_seats(app, db, make_session, service_headers):
    session = make_session(capacity=10)
    sid = session["id"]

    def register(i):
        client = app.test_client()  # one client per thread, as 50 browsers
        response = client.post(f"/api/sessions/{sid}/registrations", headers=service_headers,
                               json={"name": f"Personne {i:02d}",
                                     "email": f"personne{i:02d}@structure{i % 5 + 1}.example.org",
                                     "structure_id": i % 5 + 1})
        return response.status_code, response.json

    results = concurrently(50, register)
    assert [code for code, _ in results] == [201] * 50
    statuses = [body["status"] for _, body in results]
    assert statuses.count("confirmed") == 10
    assert statuses.count("waitlisted") == 40
    # Each waitlisted person was told a distinct place, 1 to 40: the order is total.
    positions = sorted(body["waitlist_position"] for _, body in results
                       if body["status"] == "waitlisted")
    assert positions == list(range(1, 41))

    with db.transaction() as conn:
        row = conn.execute(
            "SELECT s.confirmed_count, (SELECT count(*) FROM registrations r WHERE"
            " r.session_id = s.id AND r.status = 'confirmed') AS counted FROM sessions s"
            " WHERE s.id = %s", (sid,)).fetchone()
    assert row == {"confirmed_count": 10, "counted": 10}
    assert len(session_events(db, "training.registration_confirmed", sid)) == 10
    waitlisted_events = session_events(db, "training.waitlisted", sid)
    assert sorted(e["waitlist_position"] for e in waitlisted_events) == list(range(1, 41))

    client = app.test_client()
    detail = client.get(f"/api/sessions/{sid}", headers=service_headers).json
    assert (detail["confirmed_count"], detail["waitlisted_count"], detail["seats_left"]) == (
        10, 40, 0)

    # The waitlist in order: the head first.
    waitlist = [r["id"] for r in sorted(registrations(client, service_headers, sid, "waitlisted"),
                                        key=lambda r: r["waitlist_position"])]
    assert waitlist == sorted(waitlist)  # arrival order is the order of the session lock
    confirmed = [r["id"] for r in registrations(client, service_headers, sid, "confirmed")]

    # Three cancellations, one after the other: the three heads of the list, in order.
    promoted = []
    for registration_id in confirmed[:3]:
        response = client.post(f"/api/registrations/{registration_id}/cancel",
                               headers=service_headers)
        assert response.status_code == 200
        assert response.json["registration"]["status"] == "cancelled"
        assert [p["status"] for p in response.json["promoted"]] == ["confirmed"]
        promoted += [p["id"] for p in response.json["promoted"]]
    assert promoted == waitlist[:3]
    assert [e["registration_id"] for e in session_events(db, "training.promoted", sid)] == (
        waitlist[:3])
    # The rest of the list moved up: positions 1..37, same order.
    rest = sorted(registrations(client, service_headers, sid, "waitlisted"),
                  key=lambda r: r["waitlist_position"])
    assert [r["id"] for r in rest] == waitlist[3:]
    assert [r["waitlist_position"] for r in rest] == list(range(1, 38))

    # Five more cancellations at the same time: the next five take the seats, never more.
    concurrent_cancels = concurrently(5, lambda i: app.test_client().post(
        f"/api/registrations/{confirmed[3 + i]}/cancel", headers=service_headers).status_code)
    assert concurrent_cancels == [200] * 5
    now_confirmed = {r["id"] for r in registrations(client, service_headers, sid, "confirmed")}
    assert len(now_confirmed) == 10
    assert set(waitlist[:8]) <= now_confirmed
    assert set(waitlist[8:]).isdisjoint(now_confirmed)

    # A waitlisted person who cancels hands back no seat; those behind move up.
    response = client.post(f"/api/registrations/{waitlist[8]}/cancel", headers=service_headers)
    assert response.json["promoted"] == []
    head = min(registrations(client, service_headers, sid, "waitlisted"),
               key=lambda r: r["waitlist_position"])
    assert (head["id"], head["waitlist_position"]) == (waitlist[9], 1)


def test_the_database_itself_refuses_an_eleventh_confirmed_seat(db, make_session):
    """Belt and braces: even a code path that forgot the lock cannot overfill a session."""
    session = make_session(capacity=2)
    insert = ("INSERT INTO registrations (session_id, structure_id, person_name, email,"
              " status, registered_by) VALUES (%s, 1, %s, %s, 'confirmed', 'test')")
    with db.transaction() as conn:
        conn.execute(insert, (session["id"], "Une", "une@example.org"))
        conn.execute(insert, (session["id"], "Deux", "deux@example.org"))
    with pytest.raises(psycopg.errors.CheckViolation, match="sessions_capacity_never_exceeded"):
        with db.transaction() as conn:
            conn.execute(insert, (session["id"], "Trois", "trois@example.org"))
    # Moving a waitlisted person to a full session's seat is refused the same way.
    with db.transaction() as conn:
        conn.execute(insert.replace("'confirmed'", "'waitlisted'"),
                     (session["id"], "Quatre", "quatre@example.org"))
    with pytest.raises(psycopg.errors.CheckViolation):
        with db.transaction() as conn:
            conn.execute("UPDATE registrations SET status = 'confirmed' WHERE session_id = %s"
                         " AND status = 'waitlisted'", (session["id"],))
