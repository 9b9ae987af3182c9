"""The domain stays pure: no web, database, bus, workflow, template or mail imports."""

import ast
from pathlib import Path

import notifications.domain

FORBIDDEN = {"flask", "flask_smorest", "psycopg", "psycopg_pool", "kombu", "temporalio",
             "requests", "centrale", "jinja2", "smtplib", "itsdangerous", "socket"}


def test_domain_modules_import_no_adapter():
    offenders = []
    for path in sorted(Path(notifications.domain.__file__).parent.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN]
    assert offenders == []
