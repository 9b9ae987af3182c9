"""Fixtures of formation's integration tests: the app on this run's test database, the
catalogue, and sessions created straight through the store (no workflow unless a test
starts one), moved in time when a test needs a session that has taken place."""

from datetime import datetime, timedelta, timezone

import pytest

from centrale.testing import prepared_settings
from centrale.testing.clock import from_now
from formation.sessions import schedule_session
from formation.store.modules import upsert_module
from formation.store.structures import keep_structure
from formation.domain.catalogue import CATALOGUE
from centrale.french import PARIS


@pytest.fixture
def app(make_service_app):
    app = make_service_app("formation")
    with app.extensions["centrale"].db.transaction() as conn:
        for module in CATALOGUE:
            upsert_module(conn, module.code, module.title, module.objectives, module.duration_h)
        know_structures(conn)
    return app


# The structures the tests register people of, as accompagnement's structure.registered
# would have made them known to formation.
KNOWN_STRUCTURES = range(1, 100)


def know_structures(conn, ids=KNOWN_STRUCTURES) -> None:
    for structure_id in ids:
        keep_structure(conn, {"structure_id": structure_id,
                              "legal_name": f"Structure de test {structure_id}"})


@pytest.fixture
def db(app):
    return app.extensions["centrale"].db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def settings():
    return prepared_settings("formation")


@pytest.fixture
def make_session(db):
    """``make_session(capacity=10, days=30, module_code="dume")`` → the session row, starting
    at 09:00 Paris ``days`` days ahead; ``hours_ahead=60`` starts it that many hours from now
    instead, for rules counted in hours (09:00 three days ahead is 72 to 81 hours away,
    depending on the hour the test runs)."""

    def make(capacity=10, days=30, module_code="memoire-technique", hours=8,
             close_hours=24, place="Maison de l'ESS, Saint-Étienne", video_url=None,
             hours_ahead=None):
        if hours_ahead is not None:
            # Real hours (from_now adds in UTC), not the wall clock's across a DST change.
            starts_at = from_now(hours=hours_ahead).replace(second=0)
        else:
            day = datetime.now(PARIS).date() + timedelta(days=days)
            starts_at = datetime(day.year, day.month, day.day, 9, 0, tzinfo=PARIS)
        with db.transaction() as conn:
            return schedule_session(conn, {
                "module_code": module_code, "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=hours), "place": place,
                "video_url": video_url, "trainer": "Claire Martin", "capacity": capacity,
                "registration_close_hours": close_hours})

    return make


@pytest.fixture
def move_session(db):
    """Time passes: the session now starts at ``starts_at`` (an aware datetime)."""

    def move(session_id, starts_at, hours=8, status=None):
        with db.transaction() as conn:
            conn.execute("UPDATE sessions SET starts_at = %s, ends_at = %s,"
                         " status = coalesce(%s, status) WHERE id = %s",
                         (starts_at, starts_at + timedelta(hours=hours), status, session_id))

    return move


def yesterday_morning() -> datetime:
    day = datetime.now(PARIS).date() - timedelta(days=1)
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=PARIS)


def now_utc() -> datetime:
    return datetime.now(timezone.utc)
