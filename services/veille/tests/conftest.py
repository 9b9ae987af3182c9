import asyncio
import uuid

import pytest

from centrale.db import Database
from centrale.temporal import connect
from centrale.testing import prepared_settings, running_worker

VEILLE_TABLES = ("tenders, tender_lots, tender_notices, tender_versions, quarantine,"
                 " alert_profiles, alert_profiles_deleted, matches, dismissals, feed_cursors, feed_polls,"
                 " centrale_outbox, centrale_inbox")


def truncate_veille(db: Database) -> None:
    with db.transaction() as conn:
        conn.execute(f"TRUNCATE {VEILLE_TABLES} RESTART IDENTITY CASCADE")


@pytest.fixture
def veille_settings():
    return prepared_settings("veille")


# Structures the tests' profiles belong to, as accompagnement's structure.registered would
# have made them known to veille (their category unknown, as for a structure veille has not
# heard of: its reserved lots are never presented to it); a test about categories keeps its
# own (keep_structure).
KNOWN_STRUCTURES = range(1, 100)


def know_structures(db: Database, ids=KNOWN_STRUCTURES) -> None:
    with db.transaction() as conn:
        with conn.cursor() as cursor:
            cursor.executemany("INSERT INTO structures (id, name) VALUES (%s, %s)"
                               " ON CONFLICT (id) DO NOTHING",
                               [(i, f"Structure de test {i}") for i in ids])


@pytest.fixture
def veille_db(veille_settings):
    db = Database.from_settings(veille_settings).open()
    truncate_veille(db)
    know_structures(db)
    yield db
    db.close()


@pytest.fixture
def poll(veille_db, veille_settings):
    """Run a FeedPoll workflow to its end on the real Temporal server, with veille's activities."""
    from veille.activities import VeilleActivities
    from veille.workflows import FeedPollInput, FeedPollWorkflow

    with running_worker(veille_settings, [FeedPollWorkflow],
                        VeilleActivities(veille_db, veille_settings).all()) as queue:

        def run(poll_input: FeedPollInput):
            async def go():
                client = await connect(veille_settings)
                return await client.execute_workflow(
                    FeedPollWorkflow.run, poll_input, id=f"poll-test-{uuid.uuid4()}",
                    task_queue=queue)
            return asyncio.run(go())

        yield run
