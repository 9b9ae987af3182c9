"""Logging in and out as an attacker would try it: where the login sends the browser, what a
copied cookie opens after logging out, whether wrong passwords can lock someone out, and which
address the throttling believes. The portail runs in process on this session's database (no
other service is needed: these pages call none)."""

from __future__ import annotations

import re
import uuid
from dataclasses import replace

import pytest

from centrale import forwarded as proxies
from centrale.testing import prepared_settings
from portail import accounts, throttle
from portail.app import create_app

pytestmark = pytest.mark.integration

PASSWORD = "mot-de-passe-de-test-2"


@pytest.fixture(scope="module")
def app():
    settings = prepared_settings("portail")
    application = create_app(replace(settings, options={
        **settings.options, "CENTRALE_FORWARDED_ALLOW_IPS": "127.0.0.1,10.0.0.0/8"}))
    yield application
    application.extensions["centrale"].db.close()


@pytest.fixture
def db(app):
    return app.extensions["centrale"].db


@pytest.fixture
def member(db):
    """A fresh account (its own address: no other test's attempts count against it)."""
    email = f"membre-{uuid.uuid4().hex[:8]}@test.example"
    with db.transaction() as conn:
        accounts.create_user(conn, email, "Membre de test", PASSWORD, "membre", 1)
    return email


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


def attempt(client, email: str, password: str, query: str = "", address: str | None = None):
    headers = {"X-Forwarded-For": address} if address else {}
    token = csrf(client.get("/connexion").get_data(as_text=True))
    return client.post(f"/connexion{query}", headers=headers,
                       data={"csrf_token": token, "email": email, "password": password})


# 1. After logging in, only a page of the portail itself.

@pytest.mark.parametrize("query", [
    "?next=/%09/evil.example",          # a tab: browsers drop it and read //evil.example
    "?next=/%0a/evil.example",          # a line break: was a 500
    "?next=/%0d%0aSet-Cookie:x=1",
    "?next=//evil.example",
    "?next=/%5Cevil.example",           # a backslash is a slash to browsers
    "?next=/%252F%252Fevil.example",    # decoded once more: //evil.example
    "?next=https://evil.example/",
    "?next=javascript:alert(1)",
    "?next=/page-qui-n-existe-pas",
    "?next=/deconnexion",               # POST only: not a page to land on
])
def test_after_login_a_next_that_is_not_a_page_of_the_portail_goes_home(app, member, query):
    response = attempt(app.test_client(), member, PASSWORD, query)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", ["/compte", "/appels-d-offres?q=nettoyage&page=2",
                                    "/structures/1"])
def test_after_login_a_page_of_the_portail_is_where_the_browser_goes(app, member, target):
    response = attempt(app.test_client(), member, PASSWORD,
                       "?next=" + target.replace("?", "%3F").replace("&", "%26"))
    assert (response.status_code, response.headers["Location"]) == (302, target)


# 2. Logging out ends the session on the server.

def test_a_cookie_copied_before_logout_opens_nothing_afterwards(app, member):
    browser = app.test_client()
    assert attempt(browser, member, PASSWORD).status_code == 302
    cookie = browser.get_cookie("centrale_session").value
    thief = app.test_client()
    thief.set_cookie("centrale_session", cookie)
    assert thief.get("/compte").status_code == 200
    token = csrf(browser.get("/compte").get_data(as_text=True))
    browser.post("/deconnexion", data={"csrf_token": token})
    replayed = thief.get("/compte")
    assert replayed.status_code == 302 and replayed.headers["Location"].startswith("/connexion")


def test_logging_out_everywhere_ends_every_copy_and_the_other_sessions(app, member):
    first, second = app.test_client(), app.test_client()
    attempt(first, member, PASSWORD)
    attempt(second, member, PASSWORD)
    copy = app.test_client()
    copy.set_cookie("centrale_session", first.get_cookie("centrale_session").value)
    token = csrf(first.get("/compte").get_data(as_text=True))
    first.post("/deconnexion-partout", data={"csrf_token": token})
    for client in (first, second, copy):
        assert client.get("/compte").status_code == 302


def test_a_cookie_of_the_old_scheme_opens_nothing(app, member, db):
    """A signed cookie naming only the account (what the portail gave before) is no session."""
    with db.transaction() as conn:
        user = accounts.find_user_by_email(conn, member)
    client = app.test_client()
    with client.session_transaction() as session:
        session.update(uid=user.id, v=user.session_version)
    assert client.get("/compte").status_code == 302


# 7. Throttling slows guessing and never locks anyone out.

def failures(db, email: str, address: str, count: int, seconds_ago: int = 0) -> None:
    """``count`` wrong passwords, as if tried one after the other until ``seconds_ago``."""
    with db.transaction() as conn:
        conn.execute("INSERT INTO login_attempts (email, ip, success, at)"
                     " SELECT %s, %s, false, now() - make_interval(secs => %s + n - 1)"
                     " FROM generate_series(1, %s) n", (email, address, seconds_ago, count))


def test_wrong_passwords_from_one_address_do_not_lock_the_account_elsewhere(app, member, db):
    failures(db, member, "198.51.100.7", 12)
    slowed = attempt(app.test_client(), member, PASSWORD, address="198.51.100.7")
    assert slowed.status_code == 429
    assert "Trop de tentatives de connexion : réessayez dans" in slowed.get_data(as_text=True)
    assert 0 < int(slowed.headers["Retry-After"]) <= throttle.PAIR.cap_s
    # Its owner, at another address, waits seconds at most (the account's own cap)…
    at_home = attempt(app.test_client(), member, PASSWORD, address="203.0.113.20")
    assert at_home.status_code == 429
    assert 0 < int(at_home.headers["Retry-After"]) <= throttle.ACCOUNT.cap_s
    # … and is in once they have passed, while the guesser still waits.
    with db.transaction() as conn:
        conn.execute("UPDATE login_attempts SET at = at - interval '31 seconds'"
                     " WHERE email = %s", (member,))
    assert attempt(app.test_client(), member, PASSWORD, address="203.0.113.20").status_code == 302
    assert attempt(app.test_client(), member, "faux", address="198.51.100.7").status_code == 429


def test_a_wait_ends_and_the_right_password_then_opens_the_account(app, member, db):
    failures(db, member, "198.51.100.8", throttle.PAIR.free + 3)
    client = app.test_client()
    assert attempt(client, member, PASSWORD, address="198.51.100.8").status_code == 429
    with db.transaction() as conn:  # the wait passes (the attempts move back in time)
        conn.execute("UPDATE login_attempts SET at = at - interval '6 minutes'"
                     " WHERE email = %s", (member,))
    assert attempt(client, member, PASSWORD, address="198.51.100.8").status_code == 302


def test_an_attempt_refused_for_waiting_is_not_counted(app, member, db):
    failures(db, member, "198.51.100.10", throttle.PAIR.free)
    for _ in range(5):
        assert attempt(app.test_client(), member, "faux",
                       address="198.51.100.10").status_code == 429
    with db.transaction() as conn:
        assert conn.execute("SELECT count(*) AS n FROM login_attempts WHERE email = %s",
                            (member,)).fetchone()["n"] == throttle.PAIR.free


def test_no_number_of_failures_locks_an_account_for_more_than_its_cap(db, member):
    with db.transaction() as conn:
        conn.execute("INSERT INTO login_attempts (email, ip, success)"
                     " SELECT %s, '192.0.2.' || (n %% 250), false FROM generate_series(1, 500) n",
                     (member,))
        assert 0 < throttle.seconds_to_wait(conn, member, "203.0.113.99") <= 30
        # The pair and the address scopes only slow the places the failures came from.
        assert throttle.seconds_to_wait(conn, member, "192.0.2.1") <= throttle.PAIR.cap_s


def test_a_success_clears_the_failures_of_its_account_and_its_address_only(db, member):
    with db.transaction() as conn:
        for _ in range(8):
            accounts.authenticate(conn, member, "faux", "198.51.100.9")
        for _ in range(12):
            accounts.authenticate(conn, member, "faux", "198.51.100.19")
        conn.execute("UPDATE login_attempts SET at = at - interval '2 seconds' WHERE email = %s",
                     (member,))
        assert throttle.seconds_to_wait(conn, member, "198.51.100.9") > 0
        assert throttle.seconds_to_wait(conn, member, "203.0.113.1") > 0  # the account's scope
        conn.execute("INSERT INTO login_attempts (email, ip, success) VALUES (%s, %s, true)",
                     (member, "198.51.100.9"))
        assert throttle.seconds_to_wait(conn, member, "198.51.100.9") == 0
        assert throttle.seconds_to_wait(conn, member, "203.0.113.1") == 0
        # The guesser at another address still waits: the owner's login is not theirs.
        assert throttle.seconds_to_wait(conn, member, "198.51.100.19") > 0


def test_one_address_trying_many_accounts_is_slowed(db):
    with db.transaction() as conn:
        conn.execute("INSERT INTO login_attempts (email, ip, success)"
                     " SELECT 'inconnu-' || n || '@test.example', '198.51.100.250', false"
                     " FROM generate_series(1, 25) n")
        assert throttle.seconds_to_wait(conn, "encore@test.example", "198.51.100.250") > 0
        assert throttle.seconds_to_wait(conn, "encore@test.example", "198.51.100.251") == 0


@pytest.mark.parametrize("peer, forwarded, client", [
    ("203.0.113.5", None, "203.0.113.5"),
    ("203.0.113.5", "198.51.100.1", "203.0.113.5"),       # not a proxy of ours: ignored
    ("10.1.2.3", "198.51.100.1", "198.51.100.1"),         # our proxy says who it saw
    ("10.1.2.3", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # what the client wrote itself
    ("10.1.2.3", "198.51.100.1, 10.9.9.9", "198.51.100.1"),  # two proxies of ours
    ("10.1.2.3", "pas-une-adresse", "10.1.2.3"),
    ("10.1.2.3", "2001:db8::1", "2001:db8::1"),
])
def test_the_client_address_is_believed_only_from_trusted_proxies(peer, forwarded, client):
    trusted = proxies.trusted_proxies("127.0.0.1, 10.0.0.0/8")
    assert proxies.client_address(peer, forwarded, trusted) == client


def test_every_peer_trusted_is_what_star_says():
    assert proxies.client_address("203.0.113.5", "1.2.3.4, 198.51.100.1",
                                    proxies.trusted_proxies("*")) == "1.2.3.4"


def test_behind_a_proxy_each_person_has_their_own_limit(app, member, db):
    """The peer is the proxy for everyone: its X-Forwarded-For tells the people apart."""
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = app.test_client()
    attacker.environ_base.update(proxy)
    for guess in range(3):
        attempt(attacker, member, f"faux-{guess}", address="198.51.100.30")
    with db.transaction() as conn:
        recorded = {row["ip"] for row in conn.execute(
            "SELECT ip FROM login_attempts WHERE email = %s", (member,))}
    assert recorded == {"198.51.100.30"}
    neighbour = app.test_client()
    neighbour.environ_base.update(proxy)
    other = f"voisin-{uuid.uuid4().hex[:6]}@test.example"
    with db.transaction() as conn:
        accounts.create_user(conn, other, "Voisin", PASSWORD, "membre", 1)
    assert attempt(neighbour, other, PASSWORD, address="198.51.100.31").status_code == 302
