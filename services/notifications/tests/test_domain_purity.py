"""The domain stays pure: no web, database, bus, workflow, template or mail imports."""

import notifications.domain
from centrale.testing import impure_domain_imports

FORBIDDEN = {"flask", "flask_smorest", "psycopg", "psycopg_pool", "kombu", "temporalio",
             "requests", "centrale", "jinja2", "smtplib", "itsdangerous", "socket"}


def test_domain_modules_import_no_adapter():
    assert impure_domain_imports(notifications.domain, FORBIDDEN) == []
