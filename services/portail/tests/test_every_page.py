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
          "/desabonnement/<token>", "/calendrier/<token>.ics",
          # an alert profile's private Atom feed (its signed token), forwarded to veille
          "/flux/<token>.atom",
          "/annuaire", "/annuaire/<int:structure_id>", "/annuaire/<int:structure_id>/contact",
          "/annuaire/confirmer/<token>",
          # a buyer's own sign-up, and the link that confirms its address
          "/inscription-acheteur", "/inscription-acheteur/confirmer/<token>",
          # the funders' report, its aggregates only (test_funders_report.py)
          "/rapport-d-impact"}
STAFF_ONLY = {"/structures", "/structures.csv", "/structures/nouvelle", "/impact", "/impact.csv",
              "/impact.pdf",
              "/invitations", "/formations/nouvelle", "/formations/<int:session_id>/presences",
              "/appels-d-offres/<int:tender_id>/ouvrir-un-dossier", "/dossiers/devis",
              "/dossiers/<int:case_id>/diagnostic", "/dossiers/<int:case_id>/groupement",
              # veille's feed polls and quarantine (« nothing missed »)
              "/veille/releves", "/veille/quarantaine",
              "/veille/quarantaine/<int:quarantine_id>/texte-brut.txt",
              "/conseillers", "/demandes-de-modification"}
# Pages every member may read too (awards are public information), each one checked.
FOR_MEMBERS = {"/acheteurs", "/acheteurs/<string:buyer_key>", "/titulaires/<string:siret>",
               "/appels-d-offres/export.csv", "/profils/<int:profile_id>/modifier"}


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
    assert FOR_MEMBERS <= set(GET_ROUTES) and not FOR_MEMBERS & STAFF_ONLY


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


def test_the_market_s_pages_are_open_to_members(stack, login, fresh_attempts):
    """A member reaches the buyers' search and an export; an unknown buyer, winner or another
    structure's profile answers 404 (the page exists for them, the thing does not)."""
    member = login("member1")
    assert member.get(stack + "/acheteurs?q=Loire", allow_redirects=False).status_code == 200
    export = member.get(stack + "/appels-d-offres/export.csv", allow_redirects=False)
    assert export.status_code == 200 and export.headers["Content-Type"].startswith("text/csv")
    for path in ("/acheteurs/99999999999999", "/titulaires/99999999999999",
                 "/profils/999999/modifier"):
        assert member.get(stack + path, allow_redirects=False).status_code == 404, path
