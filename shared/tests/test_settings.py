import pytest

from centrale.settings import SettingsError, load_settings


def test_defaults_work_locally_and_name_the_service_database():
    settings = load_settings("veille", env={})
    assert settings.db_name == "centrale_veille"
    assert settings.task_queue == "veille"
    assert settings.db_dsn == "postgresql://centrale@127.0.0.1:5432/centrale_veille"
    assert settings.service_urls["formation"] == "http://127.0.0.1:8003"


def test_environment_overrides_and_password_is_quoted():
    settings = load_settings("formation", env={
        "CENTRALE_PG_PASSWORD": "p@ss/word", "CENTRALE_FORMATION_DB": "autre",
        "CENTRALE_PG_PORT": "5433"})
    assert settings.db_dsn == "postgresql://centrale:p%40ss%2Fword@127.0.0.1:5433/autre"


def test_a_malformed_number_is_a_clear_error():
    with pytest.raises(SettingsError, match="CENTRALE_PG_PORT"):
        load_settings("veille", env={"CENTRALE_PG_PORT": "cinq"})


def test_a_short_token_secret_is_refused():
    with pytest.raises(SettingsError, match="32"):
        load_settings("veille", env={"CENTRALE_TOKEN_SECRET": "court"}).require_token_secret()


def test_a_service_reads_its_own_options_with_a_default():
    settings = load_settings("veille", env={"CENTRALE_VEILLE_DEPARTMENTS": "42,43,69"})
    assert settings.option("VEILLE_DEPARTMENTS", "42,43") == "42,43,69"
    assert settings.option("VEILLE_OTHER", "x") == "x"
