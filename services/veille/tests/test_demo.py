"""The demo shows a territory at work whatever the date: its own notices, written around
1 December 2026, are loaded moved to this week, its synthetic ones close within the year."""

from dataclasses import replace
from datetime import date, timedelta

import pytest

from centrale.demo_dates import moved_to_today, paris_today, weeks_since
from centrale.testing import RUN_ID, prepared_settings, recreate_database
from centrale.migrations import migrate
from centrale.db import Database
from veille.demo import DEMO_TODAY, load_demo
from veille.service import definition

pytestmark = pytest.mark.integration


def test_recorded_dates_move_by_whole_weeks_to_this_week():
    text = '{"deadline": "2027-01-12T12:00:00+01:00", "published": "2026-11-20"}'
    moved = moved_to_today(text, DEMO_TODAY)
    weeks = weeks_since(DEMO_TODAY)
    assert moved == text.replace("2027-01-12", (date(2027, 1, 12) + timedelta(weeks=weeks))
                                 .isoformat()).replace(
        "2026-11-20", (date(2026, 11, 20) + timedelta(weeks=weeks)).isoformat())
    assert 0 <= (DEMO_TODAY + timedelta(weeks=weeks) - paris_today()).days <= 6


def test_the_demo_has_open_tenders_in_the_territory_whatever_the_date():
    settings = replace(prepared_settings("veille"), db_name=f"test_{RUN_ID}_veille_demo")
    recreate_database(settings)
    migrate(settings, definition().migrations)
    assert "simulation" in load_demo(settings, dry_run=True)
    summary = load_demo(settings, dry_run=False)
    assert summary.startswith("veille : ")
    db = Database.from_settings(settings).open()
    try:
        with db.transaction() as conn:
            counts = conn.execute(
                "SELECT count(*) FILTER (WHERE result IS NULL AND closes_at > now()"
                " AND in_territory) AS open, count(*) AS tenders FROM tenders").fetchone()
            own = conn.execute(
                "SELECT t.closes_at > now() AS open FROM tender_notices n JOIN tenders t"
                " ON t.id = n.tender_id WHERE n.source_id = '26-118204'").fetchone()
    finally:
        db.close()
    assert counts["tenders"] >= 300 and counts["open"] >= 250
    assert own["open"]  # the project's own notice, written for 1 December 2026
