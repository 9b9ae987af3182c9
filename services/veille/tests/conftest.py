import pytest

from centrale.db import Database
from centrale.testing import prepared_settings

VEILLE_TABLES = ("tenders, tender_lots, tender_notices, tender_versions, quarantine,"
                 " alert_profiles, alert_profiles_deleted, matches, dismissals, feed_cursors, feed_polls,"
                 " centrale_outbox, centrale_inbox")


def truncate_veille(db: Database) -> None:
    with db.transaction() as conn:
        conn.execute(f"TRUNCATE {VEILLE_TABLES} RESTART IDENTITY CASCADE")


@pytest.fixture
def veille_settings():
    return prepared_settings("veille")


@pytest.fixture
def veille_db(veille_settings):
    db = Database.from_settings(veille_settings).open()
    truncate_veille(db)
    yield db
    db.close()
