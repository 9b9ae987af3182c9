"""Demo data for veille: alert profiles of the demo structures, then the project's own notices
in the real formats (``demo_data/``), which the bus process matches against the profiles."""

from __future__ import annotations

from pathlib import Path

from psycopg.errors import UniqueViolation

from centrale.db import Database
from centrale.settings import Settings

from .ingest import ingest_files
from .store import profiles as profile_store

DEMO_DATA = Path(__file__).with_name("demo_data")

# Profiles of accompagnement's demo structures (ids in make up's loading order, see
# accompagnement/demo_data/loire_sud.json): what each of them does, where.
PROFILES = [
    {"structure_id": 1, "name": "Propreté des bâtiments", "cpv_prefixes": ["9091"],
     "keywords": ["nettoyage", "vitrerie"], "departments": ["42"]},
    {"structure_id": 1, "name": "Espaces verts", "cpv_prefixes": ["7731"], "keywords": [],
     "departments": ["42"]},
    {"structure_id": 2, "name": "Nettoyage et espaces verts", "cpv_prefixes": ["9091", "7731"],
     "keywords": [], "departments": ["42"]},
    {"structure_id": 3, "name": "Archives et numérisation", "cpv_prefixes": ["7999"],
     "keywords": ["numérisation"], "departments": ["42", "43"]},
    {"structure_id": 3, "name": "Marchés réservés", "cpv_prefixes": [], "keywords": [],
     "departments": ["42", "43"], "reserved_only": True},
    {"structure_id": 5, "name": "Restauration collective", "cpv_prefixes": ["5552", "1589"],
     "keywords": ["repas"], "departments": ["43", "42"]},
]


def load_demo(settings: Settings, dry_run: bool) -> str:
    if dry_run:
        report = ingest_files(None, settings, [DEMO_DATA], dry_run=True, progress=False)
        return f"veille : {len(PROFILES)} profils d'alerte ; " + report.summary(True)
    db = Database.from_settings(settings).open()
    created = 0
    for profile in PROFILES:
        values = {"min_value": None, "max_value": None, "reserved_only": False,
                  "notice_kinds": ["contract", "prior_information", "renewal"], **profile}
        try:
            with db.transaction() as conn:
                profile_store.create_profile(conn, values)
            created += 1
        except UniqueViolation:
            pass
    report = ingest_files(db, settings, [DEMO_DATA], progress=False)
    db.close()
    return f"veille : {created} profil(s) d'alerte créé(s) ; " + report.summary(False)
