"""The public directory's pages (no account): only consenting structures, a card without the
structure's address, and a contact form that sends nothing before its sender confirms their
address, refuses hostile input and too many messages, and drops what a robot fills in."""

import re
from html import unescape

import pytest
import requests

from centrale.testing import wait_until

pytestmark = pytest.mark.integration

STRUCTURE_CONTACT = "direction@regie-montreynaud.example"


@pytest.fixture
def fresh_contacts(portail_db):
    with portail_db.transaction() as conn:
        conn.execute("TRUNCATE contact_messages")


def set_consent(login, stack, csrf, who: str, given: bool) -> None:
    member = login(who)
    token = csrf(member.get(f"{stack}/ma-fiche").text)
    response = member.post(f"{stack}/ma-fiche/accord",
                           data={"csrf_token": token, "given": "1" if given else "0"})
    assert response.status_code == 200, response.text[:300]


@pytest.fixture
def listed(stack, login, csrf, fresh_attempts):
    """Structure 1 consents; structure 2 does not."""
    set_consent(login, stack, csrf, "member1", True)
    set_consent(login, stack, csrf, "member2", False)


def contact_form(stack, csrf, **fields):
    visitor = requests.Session()
    page = visitor.get(f"{stack}/annuaire/1")
    assert page.status_code == 200
    data = {"csrf_token": csrf(page.text), "sender_name": "Marc Vidal",
            "sender_email": "marc.vidal@mairie-firminy.example", "organisation": "Mairie",
            "subject": "Entretien du parc", "agree": "y",
            "body": "Bonjour, pourriez-vous nous proposer un devis pour le parc ?", **fields}
    return visitor, visitor.post(f"{stack}/annuaire/1/contact", data=data)


def rows(portail_db, sql, *params):
    with portail_db.transaction() as conn:
        return conn.execute(sql, params).fetchall()


def test_the_directory_shows_consenting_structures_only_and_never_their_address(stack, listed):
    listing = requests.get(f"{stack}/annuaire", params={"q": "regie montreynaud"})
    assert listing.status_code == 200
    assert "Régie de quartier Solidarité Montreynaud" in listing.text
    everyone = requests.get(f"{stack}/annuaire").text
    assert "Le Relais Emploi Forez" not in everyone
    assert requests.get(f"{stack}/annuaire/2").status_code == 404
    card = unescape(requests.get(f"{stack}/annuaire/1").text)
    assert "Structure d'insertion — Atelier et chantier d'insertion (ACI)" in card
    assert "10 à 49 salariés" in card and "De 500 000 € à 2 millions d'euros" in card
    for private in ("@regie-montreynaud.example", "mailto:", "12 rue Pierre Loti", "520000"):
        assert private not in card


def test_a_withdrawn_consent_takes_the_structure_out_at_once(stack, listed, login, csrf):
    set_consent(login, stack, csrf, "member1", False)
    assert requests.get(f"{stack}/annuaire/1").status_code == 404
    assert "Montreynaud" not in requests.get(f"{stack}/annuaire").text
    set_consent(login, stack, csrf, "member1", True)
    assert requests.get(f"{stack}/annuaire/1").status_code == 200


def test_nothing_is_relayed_before_the_sender_confirms_their_address(
        stack, listed, fresh_contacts, csrf, mailbox, portail_db):
    visitor, response = contact_form(stack, csrf)
    assert response.status_code == 200 and "Vérifiez votre adresse électronique" in response.text
    [check] = wait_until(lambda: mailbox.to("marc.vidal@mairie-firminy.example"),
                         message="no address check")
    assert check["Subject"] == "Confirmez votre adresse électronique"
    [row] = rows(portail_db, "SELECT relayed_at FROM contact_messages")
    assert row["relayed_at"] is None
    assert mailbox.to(STRUCTURE_CONTACT + "-none") == []
    relayed_before = [m for m in mailbox.to(STRUCTURE_CONTACT)
                      if m["Subject"].startswith("Message de l'annuaire")]
    assert relayed_before == []

    link = re.search(r"http://\S+/annuaire/confirmer/\S+", check.get_body(("plain",))
                     .get_content()).group(0)
    confirm_page = visitor.get(link)
    assert confirm_page.status_code == 200 and "Envoyer mon message" in confirm_page.text
    assert visitor.post(link, data={}).status_code == 400  # no CSRF token, nothing sent
    sent = visitor.post(link, data={"csrf_token": csrf(confirm_page.text)})
    assert sent.status_code == 200 and "Votre message est transmis" in sent.text
    [relayed] = wait_until(lambda: [m for m in mailbox.to(STRUCTURE_CONTACT)
                                    if m["Subject"] == "Message de l'annuaire : Entretien du parc"],
                           message="message not relayed")
    text = relayed.get_body(("plain",)).get_content()
    assert "Marc Vidal (Mairie) écrit à Régie de quartier Solidarité Montreynaud" in text
    assert "écrivez à marc.vidal@mairie-firminy.example" in text
    # the link serves once
    assert visitor.get(link).status_code == 404


@pytest.mark.parametrize("fields, where", [
    ({"body": "Bonjour <script>alert('x')</script> un devis ?"}, "balises"),
    ({"body": "Voir <a href='http://spam.example'>ici</a> pour le devis"}, "balises"),
    ({"subject": "Devis\r\nBcc: victime@exemple.fr"}, "Une seule ligne"),
    ({"sender_name": "Marc\nBcc: victime@exemple.fr"}, "Une seule ligne"),
    ({"sender_email": "pas-une-adresse"}, "Adresse invalide"),
    ({"agree": ""}, "Cochez la case"),
])
def test_hostile_input_is_refused_and_nothing_is_kept(stack, listed, fresh_contacts, csrf,
                                                      portail_db, fields, where):
    _visitor, response = contact_form(stack, csrf, **fields)
    assert response.status_code == 422
    assert where in unescape(response.text)
    assert "<script>alert" not in response.text
    assert rows(portail_db, "SELECT id FROM contact_messages") == []


def test_a_robot_filling_the_hidden_field_is_told_nothing_and_sends_nothing(
        stack, listed, fresh_contacts, csrf, portail_db, mailbox):
    _visitor, response = contact_form(stack, csrf, site_web="http://spam.example",
                                      sender_email="robot@spam.example")
    assert response.status_code == 200 and "Vérifiez votre adresse" in response.text
    assert rows(portail_db, "SELECT id FROM contact_messages") == []
    assert mailbox.to("robot@spam.example") == []


def test_too_many_messages_from_one_address_or_one_connection(stack, listed, fresh_contacts,
                                                              csrf, portail_db):
    for _ in range(3):
        assert contact_form(stack, csrf, sender_email="presse@exemple.fr")[1].status_code == 200
    fourth = contact_form(stack, csrf, sender_email="presse@exemple.fr")[1]
    assert fourth.status_code == 429
    assert "plusieurs messages depuis cette adresse" in unescape(fourth.text)
    for number in range(7):
        assert contact_form(stack, csrf, sender_email=f"autre{number}@exemple.fr")[1] \
            .status_code == 200
    eleventh = contact_form(stack, csrf, sender_email="encore@exemple.fr")[1]
    assert eleventh.status_code == 429 and "depuis votre connexion" in unescape(eleventh.text)
    assert len(rows(portail_db, "SELECT id FROM contact_messages")) == 10


def test_the_contact_form_needs_its_csrf_token(stack, listed):
    response = requests.post(f"{stack}/annuaire/1/contact", data={
        "sender_name": "X", "sender_email": "x@exemple.fr", "subject": "Sujet",
        "body": "Un message assez long.", "agree": "y"})
    assert response.status_code == 400


def test_a_member_edits_the_card_buyers_read(stack, listed, login, csrf):
    member = login("member1")
    page = member.get(f"{stack}/ma-fiche")
    assert "Votre structure figure dans l'annuaire public" in unescape(page.text)
    saved = member.post(f"{stack}/ma-fiche", data={
        "csrf_token": csrf(page.text), "presentation": "Régie de quartier : propreté, "
        "espaces verts et petits travaux à Montreynaud.", "activities": ["90911200", "77310000"],
        "departements": "42", "communes": "Saint-Étienne, Firminy", "labels": "Qualirépar",
        "website": "https://regie-montreynaud.example"})
    assert saved.status_code == 200 and "Fiche enregistrée." in saved.text
    card = unescape(requests.get(f"{stack}/annuaire/1").text)
    assert "petits travaux à Montreynaud" in card and "Firminy" in card
    assert "Services de nettoyage de bâtiments (CPV 90911200)" in card
    hostile = member.post(f"{stack}/ma-fiche", data={
        "csrf_token": csrf(page.text), "presentation": "<img src=x onerror=alert(1)>"})
    assert hostile.status_code == 200 and "balises" in unescape(hostile.text)
    assert "<img src=x" not in requests.get(f"{stack}/annuaire/1").text
    # another role has no card to edit
    assert login("advisor").get(f"{stack}/ma-fiche").status_code == 403
