"""Links sent to people are built on the portail's public address, never on the Host a request
names (point 8 of issue 16); that address is required outside development, and HTTPS makes the
session cookie Secure and every page ask for HTTPS only."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import requests

from centrale.settings import SettingsError
from centrale.testing import prepared_settings
from portail.app import create_app
from portail.links import public_url

pytestmark = pytest.mark.integration

PASSWORD = "mot-de-passe-de-test-2"


def portail(environment: str = "development", **options):
    settings = prepared_settings("portail")
    return create_app(replace(settings, environment=environment, options={
        **settings.options, **{f"CENTRALE_{name}": value for name, value in options.items()}}),
        open_resources=False)


def test_outside_development_the_portail_does_not_start_without_its_public_address():
    with pytest.raises(SettingsError, match="CENTRALE_PORTAIL_PUBLIC_URL est obligatoire"):
        portail("production")
    with pytest.raises(SettingsError, match="adresse http"):
        portail("production", PORTAIL_PUBLIC_URL="javascript:alert(1)")
    assert portail("production", PORTAIL_PUBLIC_URL="https://marches.example") is not None


def test_a_link_is_built_on_the_public_address_whatever_host_the_request_names():
    app = portail("production", PORTAIL_PUBLIC_URL="https://marches.example/")
    with app.test_request_context("/mot-de-passe-oublie", base_url="http://evil.example"):
        assert public_url("account.reset", token="abc") == \
            "https://marches.example/mot-de-passe/abc"


def test_over_https_the_cookie_is_secure_and_pages_send_hsts():
    secure = portail("production", PORTAIL_PUBLIC_URL="https://marches.example")
    assert secure.config["SESSION_COOKIE_SECURE"] is True
    page = secure.test_client().get("/connexion", base_url="https://marches.example")
    assert page.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "Secure" in page.headers["Set-Cookie"]  # the login form's CSRF session
    plain = portail("development", PORTAIL_PUBLIC_URL="http://127.0.0.1:8000")
    assert plain.config["SESSION_COOKIE_SECURE"] is False
    assert "Strict-Transport-Security" not in plain.test_client().get("/connexion").headers


def test_a_reset_asked_with_another_host_mails_a_link_to_the_portail_itself(
        stack, fresh_attempts, people, csrf, mailbox):
    session = requests.Session()
    page = session.get(f"{stack}/mot-de-passe-oublie")
    # The cookie by hand: a cookie jar would not send 127.0.0.1's cookie to « evil.example ».
    cookie = "; ".join(f"{c.name}={c.value}" for c in session.cookies)
    sent = requests.post(f"{stack}/mot-de-passe-oublie",
                         headers={"Host": "evil.example", "Cookie": cookie},
                          data={"csrf_token": csrf(page.text), "email": people["member2"][0]})
    assert sent.status_code == 200 and "Si un compte existe" in sent.text, sent.text[-3000:]
    from centrale.testing import wait_until

    [message] = wait_until(lambda: mailbox.to(people["member2"][0]), message="no reset email")
    links = re.findall(r"https?://[^\s\"'<>]+/mot-de-passe/\S+",
                       message.get_body(("plain",)).get_content())
    assert links and all(link.startswith(stack + "/mot-de-passe/") for link in links)
    assert "evil.example" not in message.as_string()
