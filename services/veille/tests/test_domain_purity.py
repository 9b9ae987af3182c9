"""The domain stays pure, every subfolder (notices/) included: no web, database, bus, workflow
or network imports."""

import veille.domain
from centrale.testing import impure_domain_imports

FORBIDDEN = {"flask", "flask_smorest", "psycopg", "psycopg_pool", "kombu", "temporalio",
             "requests", "urllib3", "httpx", "socket", "centrale"}


def test_domain_modules_import_no_adapter():
    assert impure_domain_imports(veille.domain, FORBIDDEN) == []


def test_the_check_looks_into_subfolders(tmp_path):
    from centrale.testing.code_rules import impure_imports

    (tmp_path / "notices").mkdir()
    (tmp_path / "notices" / "reader.py").write_text("import psycopg\nfrom centrale.french import label\n")
    assert impure_imports(tmp_path, FORBIDDEN) == [f"{tmp_path}/notices/reader.py:1: psycopg"]
