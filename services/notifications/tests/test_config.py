"""Notifications' own settings, read through ``settings.option``."""

from datetime import time

import pytest

from centrale.settings import SettingsError, load_settings
from notifications.config import config_from

SECRET = {"CENTRALE_TOKEN_SECRET": "s" * 40}


def test_defaults():
    config = config_from(load_settings("notifications", env=SECRET))
    # Links in emails use the address people reach, the portail's (it forwards them here),
    # never this service's own port.
    assert config.public_url == "http://127.0.0.1:8000" == config.portail_url
    assert config.mail_from == "notifications@marches-solidaires.localhost"
    assert config.sender == ("Centrale des Marchés Solidaires "
                             "<notifications@marches-solidaires.localhost>")
    assert config.digest_time == time(7, 0)
    assert config.formation_url == "http://127.0.0.1:8003"
    assert config.admins == () and config.grouping_window.total_seconds() == 600


def test_the_public_address_follows_the_portail_s():
    config = config_from(load_settings("notifications", env={
        **SECRET, "CENTRALE_PORTAIL_URL": "https://centrale.example/",
        "CENTRALE_NOTIFICATIONS_ADMINS": "Alice@centrale.example, nope",
        "CENTRALE_NOTIFICATIONS_GROUPING_SECONDS": "5"}))
    assert config.public_url == "https://centrale.example"
    assert config.admins == ("alice@centrale.example",)
    assert config.grouping_window.total_seconds() == 5


def test_own_settings():
    config = config_from(load_settings("notifications", env={
        **SECRET, "CENTRALE_NOTIFICATIONS_PUBLIC_URL": "https://centrale.example/notifications/",
        "CENTRALE_NOTIFICATIONS_MAIL_FROM": "Centrale <ne-pas-repondre@centrale.example>",
        "CENTRALE_NOTIFICATIONS_DIGEST_TIME": "06:30",
        "CENTRALE_SMTP_HOST": "mail.example", "CENTRALE_SMTP_PORT": "2525"}))
    assert config.public_url == "https://centrale.example/notifications"
    assert config.mail_from == "ne-pas-repondre@centrale.example"
    assert config.mail_domain == "centrale.example"
    assert config.digest_time == time(6, 30)
    assert (config.smtp_host, config.smtp_port) == ("mail.example", 2525)


def test_a_bad_digest_time_or_a_missing_secret_is_refused():
    with pytest.raises(SettingsError):
        config_from(load_settings("notifications", env={
            **SECRET, "CENTRALE_NOTIFICATIONS_DIGEST_TIME": "sept heures"}))
    with pytest.raises(SettingsError):
        config_from(load_settings("notifications", env={}))
