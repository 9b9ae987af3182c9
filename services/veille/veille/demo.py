"""Demo data for veille: a territory's worth of notices — the project's own notices in the real
formats (``demo_data/``), the real third-party samples of ``../shared/samples`` when the folder
is beside the checkout (read in place, never copied), and a few hundred synthetic notices of
Loire and Haute-Loire built from the real BOAMP format (:mod:`veille.synthetic_notices`),
closing within the year. The project's own notices are loaded moved to this week
(:mod:`centrale.demo_dates`): loaded as written, they would all be closed some weeks later.

The structures' alert profiles are not here: accompagnement's demo creates them through this
service's API once its structures exist, so no structure number is assumed; the bus process
matches them against what is already open."""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from centrale.db import Database
from centrale.demo_dates import moved_to_today
from centrale.settings import Settings

from .ingest import ingest_files
from .synthetic_notices import DEMO_DATA, boamp_pages

__all__ = ["DEMO_DATA", "load_demo"]

SAMPLES = Path(__file__).resolve().parents[3].parent / "shared" / "samples"
# The samples' folders of notices (their code lists are vocabularies, loaded by `veille cpv`).
SAMPLE_FOLDERS = ("boamp", "eforms", "ted-xml", "decp", "ocds")
TERRITORY = ["42", "43"]
SYNTHETIC_NOTICES = 300
# The day the demo's own notices were written around (demo_data/README.md): they are loaded
# moved by whole weeks to this week, so that the demo shows open calls whatever the date.
DEMO_TODAY = date(2026, 12, 1)


def sources(folder: Path) -> list[Path]:
    """What the demo reads: its own notices moved to this week, the samples if present, the
    synthetic pages written into ``folder``."""
    own = folder / "demo"
    own.mkdir()
    for path in DEMO_DATA.iterdir():
        if path.suffix in (".json", ".xml"):
            (own / path.name).write_text(moved_to_today(path.read_text(encoding="utf-8"),
                                                        DEMO_TODAY), encoding="utf-8")
    paths = [own]
    paths += [SAMPLES / name for name in SAMPLE_FOLDERS if (SAMPLES / name).is_dir()]
    for number, page in enumerate(boamp_pages(SYNTHETIC_NOTICES, 100, seed=42, first=900_000,
                                              departments=TERRITORY)):
        path = folder / f"boamp-territoire-{number + 1}.json"
        path.write_bytes(page)
        paths.append(path)
    return paths


def load_demo(settings: Settings, dry_run: bool) -> str:
    with tempfile.TemporaryDirectory(prefix="veille-demo-") as folder:
        paths = sources(Path(folder))
        if dry_run:
            report = ingest_files(None, settings, paths, dry_run=True, progress=False)
            return "veille (simulation) : " + report.summary(True)
        db = Database.from_settings(settings).open()
        try:
            report = ingest_files(db, settings, paths, progress=True)
        finally:
            db.close()
    return "veille : " + report.summary(False)
