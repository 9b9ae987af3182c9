"""Accompagnement's own settings: reminder days and idle limits."""

import pytest

from accompagnement.config import case_settings, case_settings_from
from centrale.settings import SettingsError, load_settings


def test_defaults():
    settings = case_settings_from({})
    assert settings.reminder_days == (15, 7, 2, 1)
    assert settings.idle_days == {"diagnosis": 7, "drafting": 10, "review": 5, "submission": 2,
                                  "awaiting_result": 60}
    assert settings.document_max_bytes == 1024 * 1024


def test_reminder_days_and_idle_limits_from_the_environment():
    settings = case_settings_from({
        "CENTRALE_ACCOMPAGNEMENT_REMINDER_DAYS": "1, 30,7",
        "CENTRALE_ACCOMPAGNEMENT_IDLE_DAYS": "drafting=14,awaiting_result=0"})
    assert settings.reminder_days == (30, 7, 1)
    assert settings.idle_days == {"diagnosis": 7, "drafting": 14, "review": 5, "submission": 2}


@pytest.mark.parametrize(("name", "value"), [
    ("CENTRALE_ACCOMPAGNEMENT_REMINDER_DAYS", "15,sept"),
    ("CENTRALE_ACCOMPAGNEMENT_REMINDER_DAYS", "0"),
    ("CENTRALE_ACCOMPAGNEMENT_IDLE_DAYS", "drafting:10"),
    ("CENTRALE_ACCOMPAGNEMENT_IDLE_DAYS", "won=3"),
])
def test_malformed_values_are_clear_errors(name, value):
    with pytest.raises(SettingsError, match=name):
        case_settings_from({name: value})


def test_read_from_the_platform_settings():
    settings = load_settings("accompagnement", env={
        "CENTRALE_ACCOMPAGNEMENT_REMINDER_DAYS": "10,3",
        "CENTRALE_ACCOMPAGNEMENT_DOCUMENT_MAX_BYTES": "500000"})
    assert case_settings(settings).reminder_days == (10, 3)
    assert case_settings(settings).document_max_bytes == 500000
