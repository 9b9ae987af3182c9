"""The domain stays pure: no web, database, bus, workflow or project-library imports."""

import formation.domain
from centrale.testing import impure_domain_imports

FORBIDDEN = {"flask", "flask_smorest", "psycopg", "psycopg_pool", "kombu", "temporalio",
             "requests", "centrale", "icalendar", "fpdf"}


def test_domain_modules_import_no_adapter():
    assert impure_domain_imports(formation.domain, FORBIDDEN) == []
