"""Sessions, CSRF, rate limiting and authorisation on every page, over real HTTP."""

import pytest
import requests

pytestmark = pytest.mark.integration

PAGES = ["/", "/appels-d-offres", "/appels-d-offres/1", "/alertes", "/profils"]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_needs_a_session(stack, path):
    response = requests.get(stack + path, allow_redirects=False)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/connexion?next=")


def test_pages_carry_security_headers_and_a_http_only_cookie(stack, fresh_attempts, login):
    session = login("member1")
    response = session.get(stack + "/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"
    cookie = next(c for c in session.cookies if c.name == "centrale_session")
    assert cookie.has_nonstandard_attr("HttpOnly")


def test_a_form_without_its_csrf_token_is_refused(stack, fresh_attempts, login, people,
                                                  password):
    session = login("member1")
    response = session.post(stack + "/profils", data={"name": "Sans jeton"})
    assert response.status_code == 400
    assert "Formulaire expiré" in response.text
    forged = session.post(stack + "/alertes/1/pas-interesse",
                          data={"csrf_token": "faux", "reason": "test"})
    assert forged.status_code == 400
    outsider = requests.post(stack + "/connexion", data={"email": people["member1"][0],
                                                        "password": password})
    assert outsider.status_code == 400


def test_wrong_passwords_slow_the_login_down_without_locking_it(stack, fresh_attempts, csrf,
                                                               people, password, portail_db):
    session = requests.Session()
    for attempt in range(5):
        token = csrf(session.get(f"{stack}/connexion").text)
        response = session.post(f"{stack}/connexion", data={
            "csrf_token": token, "email": people["advisor"][0], "password": f"faux-{attempt}"})
        assert response.status_code == 200
        assert "Adresse ou mot de passe incorrect." in response.text
    with portail_db.transaction() as conn:  # seven more, just now, from the same address
        conn.execute("INSERT INTO login_attempts (email, ip, success) SELECT email, ip, false"
                     " FROM login_attempts, generate_series(1, 7) WHERE email = %s LIMIT 7",
                     (people["advisor"][0],))
    token = csrf(session.get(f"{stack}/connexion").text)
    slowed = session.post(f"{stack}/connexion", data={
        "csrf_token": token, "email": people["advisor"][0], "password": password})
    assert slowed.status_code == 429  # even with the right password, for a while
    assert "Trop de tentatives de connexion : réessayez dans" in slowed.text
    assert 0 < int(slowed.headers["Retry-After"]) <= 300  # minutes at most, never a lock


def test_logout_ends_the_session_and_logout_everywhere_ends_the_others(stack, fresh_attempts,
                                                                        login, csrf):
    first = login("member2")
    second = login("member2")
    assert first.get(stack + "/", allow_redirects=False).status_code == 200
    token = csrf(first.get(stack + "/").text)
    first.post(stack + "/deconnexion", data={"csrf_token": token})
    assert first.get(stack + "/", allow_redirects=False).status_code == 302
    assert second.get(stack + "/", allow_redirects=False).status_code == 200
    third = login("member2")
    token = csrf(third.get(stack + "/").text)
    third.post(stack + "/deconnexion-partout", data={"csrf_token": token})
    assert second.get(stack + "/", allow_redirects=False).status_code == 302


def test_a_member_only_ever_sees_their_own_structure(stack, fresh_attempts, login, csrf):
    member = login("member1")
    own = member.get(stack + "/alertes")
    assert own.status_code == 200 and "Nettoyage" in own.text
    other = member.get(stack + "/alertes?structure=2")  # the parameter is ignored for members
    assert other.text == own.text.replace(csrf(own.text), csrf(other.text))
    assert "Espaces verts" not in member.get(stack + "/profils").text


def test_open_redirects_after_login_are_refused(stack, fresh_attempts, csrf, people, password):
    session = requests.Session()
    token = csrf(session.get(f"{stack}/connexion").text)
    response = session.post(f"{stack}/connexion?next=//evil.example/x", data={
        "csrf_token": token, "email": people["member1"][0], "password": password},
        allow_redirects=False)
    assert response.headers["Location"] == "/"


def test_an_invitation_creates_a_member_account_once(stack, fresh_attempts, portail_db, csrf,
                                                    people):
    from portail import accounts

    with portail_db.transaction() as conn:
        advisor = accounts.find_user_by_email(conn, people["advisor"][0])
        token = accounts.create_invitation(conn, "nouvelle@test.example", "membre", 1,
                                           advisor.id).token
    session = requests.Session()
    page = session.get(f"{stack}/invitation/{token}")
    assert page.status_code == 200 and "nouvelle@test.example" in page.text
    short = session.post(f"{stack}/invitation/{token}", data={
        "csrf_token": csrf(page.text), "name": "Nouvelle", "password": "court", "confirm": "court"})
    assert short.status_code == 200 and "12 caractères au moins." in short.text
    done = session.post(f"{stack}/invitation/{token}", data={
        "csrf_token": csrf(short.text), "name": "Nouvelle Membre",
        "password": "un-mot-de-passe-long", "confirm": "un-mot-de-passe-long"},
        allow_redirects=False)
    assert done.status_code == 302
    assert session.get(stack + "/").status_code == 200
    assert requests.get(f"{stack}/invitation/{token}").status_code == 404  # used once
