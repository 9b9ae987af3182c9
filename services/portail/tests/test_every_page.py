"""Every page and every form of the portail, found from its own URL map: no page without a
session, no change without the form's CSRF token, no advisor page for a member."""

import re

import pytest
import requests

from portail.app import create_app

pytestmark = pytest.mark.integration

PUBLIC = {"/connexion", "/healthz", "/readyz", "/metrics", "/invitation/<token>",
          "/mot-de-passe-oublie", "/mot-de-passe/<token>",
          # signed links of emails, forwarded to notifications
          "/desabonnement/<token>", "/calendrier/<token>.ics"}
STAFF_ONLY = {"/structures", "/structures.csv", "/structures/nouvelle", "/impact", "/impact.csv",
              "/invitations", "/formations/nouvelle", "/formations/<int:session_id>/presences",
              "/appels-d-offres/<int:tender_id>/ouvrir-un-dossier", "/dossiers/devis",
              "/dossiers/<int:case_id>/diagnostic", "/dossiers/<int:case_id>/groupement"}


def routes(method: str):
    app = create_app(open_resources=False)
    for rule in app.url_map.iter_rules():
        if method in rule.methods and not rule.rule.startswith("/static") \
                and rule.rule not in PUBLIC:
            yield rule.rule


def concrete(rule: str) -> str:
    return re.sub(r"<(?:int:)?[^>]+>", "1", rule)


GET_ROUTES = sorted(set(routes("GET")))
POST_ROUTES = sorted(set(routes("POST")) - {"/deconnexion"})


def test_the_url_map_is_the_one_these_tests_expect():
    assert len(GET_ROUTES) >= 15 and len(POST_ROUTES) >= 10
    assert STAFF_ONLY <= set(GET_ROUTES) | set(POST_ROUTES)


@pytest.mark.parametrize("rule", GET_ROUTES)
def test_no_page_without_a_session(stack, rule):
    response = requests.get(stack + concrete(rule), allow_redirects=False, timeout=10)
    assert response.status_code == 302, rule
    assert response.headers["Location"].startswith("/connexion?next=")


@pytest.mark.parametrize("rule", POST_ROUTES)
def test_no_change_without_the_csrf_token(stack, login, fresh_attempts, rule):
    advisor = login("advisor")
    response = advisor.post(stack + concrete(rule), data={"reason": "x", "name": "x"},
                            allow_redirects=False, timeout=10)
    assert response.status_code == 400, rule
    assert "Formulaire expiré" in response.text


@pytest.mark.parametrize("rule", sorted(STAFF_ONLY))
def test_advisor_pages_refuse_members(stack, login, fresh_attempts, rule):
    member = login("member1")
    response = member.get(stack + concrete(rule), allow_redirects=False, timeout=10)
    assert response.status_code == 403, rule
