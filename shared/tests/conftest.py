import pytest

from centrale.db import Database
from centrale.testing import prepared_settings


@pytest.fixture(scope="session")
def shared_settings():
    return prepared_settings("centrale")


@pytest.fixture
def shared_db(shared_settings):
    db = Database.from_settings(shared_settings).open()
    with db.transaction() as conn:
        conn.execute("TRUNCATE centrale_outbox, centrale_inbox")
        conn.execute("CREATE TABLE IF NOT EXISTS effects (event_id uuid, note text)")
        conn.execute("TRUNCATE effects")
    yield db
    db.close()
