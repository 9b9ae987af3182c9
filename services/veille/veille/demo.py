"""Demo data for veille: the project's own notices in the real formats (``demo_data/``)."""

from __future__ import annotations

from pathlib import Path

from centrale.db import Database
from centrale.settings import Settings

from .ingest import ingest_files

DEMO_DATA = Path(__file__).with_name("demo_data")


def load_demo(settings: Settings, dry_run: bool) -> str:
    db = None if dry_run else Database.from_settings(settings).open()
    report = ingest_files(db, settings, [DEMO_DATA], dry_run=dry_run, progress=False)
    if db is not None:
        db.close()
    return "veille : " + report.summary(dry_run)
