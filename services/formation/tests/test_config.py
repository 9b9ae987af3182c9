"""Formation's own setting: the registrations' closing of a new session, unless it says."""

from dataclasses import replace
from datetime import timedelta
from decimal import Decimal

import pytest

from centrale.settings import SettingsError
from centrale.testing import prepared_settings
from centrale.testing.clock import paris_at
from formation.app import create_app
from formation.config import config_from

pytestmark = pytest.mark.integration


def with_option(value: str):
    settings = prepared_settings("formation")
    return replace(settings, options={**settings.options, "CENTRALE_FORMATION_CLOSE_HOURS": value})


def test_the_default_closing_of_new_sessions_is_configurable(app, service_headers):
    assert config_from(prepared_settings("formation")).close_hours == Decimal(24)
    configured = create_app(with_option("48"))
    try:
        start = paris_at(30)
        body = {"module_code": "dume", "starts_at": start.isoformat(),
                "ends_at": (start + timedelta(hours=3)).isoformat(),
                "place": "Saint-Étienne", "trainer": "Claire Martin", "capacity": 5}
        client = configured.test_client()
        default = client.post("/api/sessions", json=body, headers=service_headers)
        own = client.post("/api/sessions", json={**body, "registration_close_hours": 2},
                          headers=service_headers)
        assert (default.status_code, own.status_code) == (201, 201), default.json
        assert Decimal(default.json["registration_close_hours"]) == Decimal(48)
        assert Decimal(own.json["registration_close_hours"]) == Decimal(2)
    finally:
        configured.extensions["centrale"].db.close()


@pytest.mark.parametrize("value", ["-1", "beaucoup", "1000"])
def test_a_closing_that_cannot_be_is_refused_at_start(value):
    with pytest.raises(SettingsError):
        config_from(with_option(value))
