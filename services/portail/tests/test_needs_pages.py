"""Buyers in the portail, over the real services: a buyer's sign-up creates nothing before its
address is confirmed, refuses hostile input and too many sign-ups from one address; a buyer
sees only its own needs and their answers, a structure only its own answers; the pages a
buyer may not open answer 403 or 404."""

import re

import pytest
import requests

from centrale.testing import wait_until
from centrale.testing.clock import paris_at

pytestmark = pytest.mark.integration

SIGNUP = {"name": "Julie Perrin", "email": "julie.perrin@firminy.example",
          "organisation": "Mairie de Firminy", "organisation_siret": "73282932000074",
          "buyer_kind": "public", "password": "un-mot-de-passe-solide", "confirm":
          "un-mot-de-passe-solide"}


@pytest.fixture
def fresh_signups(portail_db):
    with portail_db.transaction() as conn:
        conn.execute("TRUNCATE pending_signups")
        conn.execute("DELETE FROM users WHERE email LIKE '%%@firminy.example'")


def sign_up(stack, csrf, **fields):
    visitor = requests.Session()
    token = csrf(visitor.get(f"{stack}/inscription-acheteur").text)
    return visitor, visitor.post(f"{stack}/inscription-acheteur",
                                 data={"csrf_token": token, **SIGNUP, **fields})


def can_log_in(stack, csrf, email, password) -> bool:
    session = requests.Session()
    token = csrf(session.get(f"{stack}/connexion").text)
    answer = session.post(f"{stack}/connexion", allow_redirects=False, data={
        "csrf_token": token, "email": email, "password": password})
    return answer.status_code == 302


def test_a_buyer_s_account_exists_only_once_its_address_is_confirmed(
        stack, csrf, mailbox, fresh_signups, fresh_attempts, portail_db):
    _visitor, answer = sign_up(stack, csrf)
    assert answer.status_code == 200 and "Vérifiez votre adresse" in answer.text
    assert not can_log_in(stack, csrf, SIGNUP["email"], SIGNUP["password"])
    [check] = wait_until(lambda: mailbox.to(SIGNUP["email"]), message="no address check")
    link = re.search(r"http://\S+/inscription-acheteur/confirmer/\S+",
                     check.get_body(("plain",)).get_content()).group(0)
    confirming = requests.Session()
    page = confirming.get(link)
    assert page.status_code == 200  # a page with a button: opening the link creates nothing
    assert not can_log_in(stack, csrf, SIGNUP["email"], SIGNUP["password"])
    created = confirming.post(link, data={"csrf_token": csrf(page.text)})
    assert created.status_code == 200 and "Déposer un besoin" in created.text
    with portail_db.transaction() as conn:
        user = conn.execute("SELECT role, organisation, organisation_siret, buyer_kind FROM users"
                            " WHERE email = %s", (SIGNUP["email"],)).fetchone()
    assert user == {"role": "acheteur", "organisation": "Mairie de Firminy",
                    "organisation_siret": "73282932000074", "buyer_kind": "public"}
    assert requests.get(link).status_code == 404  # used once


def test_a_sign_up_refuses_hostile_input_a_bad_siret_and_a_robot(stack, csrf, fresh_signups,
                                                                   portail_db):
    for fields, name in (({"name": "<script>alert(1)</script>"}, "name"),
                         ({"organisation": "Mairie\r\nBcc: tous@exemple.fr"}, "organisation"),
                         ({"organisation_siret": "73282932000075"}, "organisation_siret")):
        _visitor, answer = sign_up(stack, csrf, **fields)
        assert answer.status_code == 422, name
        assert f'id="{name}-err"' in answer.text, name
    _visitor, robot = sign_up(stack, csrf, site_web="http://spam.example")
    assert robot.status_code == 200 and "Vérifiez votre adresse" in robot.text
    with portail_db.transaction() as conn:
        assert conn.execute("SELECT count(*) AS n FROM pending_signups").fetchone()["n"] == 0


def test_too_many_sign_ups_from_one_address_are_refused(stack, csrf, fresh_signups):
    answers = [sign_up(stack, csrf)[1].status_code for _ in range(4)]
    assert answers[0] == 200 and answers[-1] == 429


def post_need(session, stack, csrf, title):
    page = session.get(f"{stack}/besoins/nouveau")
    answer = session.post(f"{stack}/besoins/nouveau", data={
        "csrf_token": csrf(page.text), "object": title,
        "description": "Nettoyage de 300 m² de bureaux, deux fois par semaine.",
        "cpv_codes": "90910000", "departement": "42", "deadline":
        paris_at(30).strftime("%Y-%m-%dT%H:%M"), "budget_band": "4k-40k",
        "reservation": "none"})
    assert answer.status_code == 200, answer.text[:500]
    return int(re.search(r"/besoins/(\d+)", answer.url).group(1))


def test_a_buyer_sees_only_its_own_needs_and_a_structure_only_its_own_answers(
        stack, login, csrf, fresh_attempts):
    first, second = login("buyer1"), login("buyer2")
    mine = post_need(first, stack, csrf, "Nettoyage des bureaux de la mairie annexe")
    theirs = post_need(second, stack, csrf, "Nettoyage des ateliers de couture")
    assert "Nettoyage des bureaux de la mairie annexe" in first.get(f"{stack}/besoins").text
    assert "Nettoyage des ateliers de couture" not in first.get(f"{stack}/besoins").text
    assert first.get(f"{stack}/besoins/{theirs}").status_code == 404
    assert first.get(f"{stack}/besoins/{mine}").status_code == 200
    advisor = login("advisor")
    listing = advisor.get(f"{stack}/besoins").text
    assert "Nettoyage des bureaux de la mairie annexe" in listing
    assert "Nettoyage des ateliers de couture" in listing
    page = advisor.get(f"{stack}/besoins/{mine}")
    published = advisor.post(f"{stack}/besoins/{mine}/validation", data={
        "csrf_token": csrf(page.text), "decision": "validate"})
    assert "Besoin publié" in published.text
    tender = int(re.search(r"/appels-d-offres/(\d+)", published.text).group(1))

    member1, member2 = login("member1"), login("member2")
    tender_page = member1.get(f"{stack}/appels-d-offres/{tender}")
    assert "Nous sommes intéressés" in tender_page.text
    answered = member1.post(f"{stack}/besoins/{mine}/interesse", data={
        "csrf_token": csrf(tender_page.text), "tender_id": tender,
        "message": "La Régie nettoie déjà les bureaux de la mairie centrale."})
    assert "Votre intérêt est transmis" in answered.text
    assert "Nettoyage des bureaux de la mairie annexe" in answered.text  # /nos-reponses
    assert "Nettoyage des bureaux" not in member2.get(f"{stack}/nos-reponses").text
    assert "Régie de quartier" in first.get(f"{stack}/besoins/{mine}").text
    assert "Régie de quartier" not in second.get(f"{stack}/besoins/{theirs}").text

    for session in (member1, member2):  # structures are no buyers
        assert session.get(f"{stack}/besoins").status_code == 403
        assert session.get(f"{stack}/besoins/{mine}").status_code == 403
    assert first.get(f"{stack}/nos-reponses").status_code == 403
    assert first.get(f"{stack}/structures").status_code == 403
    refused = second.post(f"{stack}/besoins/{mine}/resultat",
                          data={"csrf_token": csrf(second.get(f"{stack}/besoins").text)})
    assert refused.status_code == 404
