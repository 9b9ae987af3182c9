"""The domain stays pure: no web, database, bus or workflow imports."""

import accompagnement.domain
from centrale.testing import impure_domain_imports

FORBIDDEN = {"flask", "flask_smorest", "psycopg", "psycopg_pool", "kombu", "temporalio", "requests", "centrale"}


def test_domain_modules_import_no_adapter():
    assert impure_domain_imports(accompagnement.domain, FORBIDDEN) == []
