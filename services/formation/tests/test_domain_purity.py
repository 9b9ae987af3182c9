"""The domain stays pure: no web, database, bus, workflow or project-library imports."""

import formation.domain
from centrale.testing import impure_domain_imports

# icalendar is allowed: a pure library (the invitation is built in the domain, as notifications'
# calendar is); fpdf writes files.
FORBIDDEN = {"flask", "flask_smorest", "psycopg", "psycopg_pool", "kombu", "temporalio",
             "requests", "centrale", "fpdf"}


def test_domain_modules_import_no_adapter():
    assert impure_domain_imports(formation.domain, FORBIDDEN) == []
