"""Notifications and preferences, documents, and an advisor inviting a member by email."""

import re

import pytest
from playwright.sync_api import expect

from centrale.testing import wait_until

pytestmark = pytest.mark.integration


def test_an_advisor_invites_a_member_who_then_creates_their_account(stack, page, browser_login,
                                                                    fresh_attempts, mailbox,
                                                                    screenshot):
    browser_login(page, "advisor")
    page.get_by_role("link", name="Inviter", exact=True).click()
    page.get_by_label("Adresse électronique").fill("invitee@test.example")
    page.get_by_label("Rôle").select_option("membre")
    page.get_by_label("Structure (numéro)").fill("1")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    assert page.get_by_text("Invitation envoyée à invitee@test.example.").is_visible()
    # notifications sends it (its worker's sender), not the portail.
    [message] = wait_until(lambda: mailbox.to("invitee@test.example"),
                           message="no invitation email")
    assert message["To"] == "invitee@test.example"
    assert message["Subject"] == "Votre accès à la Centrale des Marchés Solidaires"
    text = message.get_body(("plain",)).get_content()
    assert "Claire Martin vous invite à rejoindre la Centrale" in text
    link = re.search(r"http://\S+/invitation/\S+", text).group(0)
    page.context.clear_cookies()
    page.goto(link)
    page.get_by_label("Nom et prénom").fill("Invitée Test")
    page.get_by_label("Mot de passe (12 caractères au moins)").fill("un-mot-de-passe-solide")
    page.get_by_label("Confirmez le mot de passe").fill("un-mot-de-passe-solide")
    page.get_by_role("button", name="Créer mon compte").click()
    assert page.get_by_text("Bienvenue ! Votre compte est créé.").is_visible()
    assert page.get_by_role("link", name="Nos alertes", exact=True).is_visible()
    screenshot(page, "invitee-accueil")


def test_a_member_sets_a_preference_and_sees_documents(stack, page, browser_login,
                                                       fresh_attempts, screenshot):
    browser_login(page, "member1")
    page.get_by_role("link", name="Notifications", exact=True).click()
    select = page.locator("select").first
    select.select_option("digest")
    page.get_by_role("button", name="Enregistrer").first.click()
    assert page.get_by_text("Préférence enregistrée.").is_visible()
    assert page.locator("select").first.input_value() == "digest"
    screenshot(page, "membre-notifications")
    page.get_by_role("link", name="Notre structure", exact=True).click()
    expect(page.get_by_role("heading", name="Documents du coffre-fort")).to_be_visible()
    screenshot(page, "membre-documents")


def test_a_notification_opens_the_page_it_is_about(stack, page, browser_login, fresh_attempts):
    """A feed item carries the portail's page about it (as its email's link does)."""
    import uuid

    from centrale.db import Database
    from centrale.testing import prepared_settings

    db = Database.from_settings(prepared_settings("notifications")).open()
    with db.transaction() as conn:
        conn.execute(
            "INSERT INTO notifications (event_id, event_type, kind, recipient, recipient_name,"
            " role, structure_id, title, summary, path, occurred_at) VALUES (%s,"
            " 'training.registration_confirmed', 'formations', 'proprete@test.example',"
            " 'Paul Dupuis', 'participant', 1, 'Inscription confirmée : Rédiger un mémoire"
            " technique', 'Votre inscription est confirmée.', '/formations/1', now())",
            (uuid.uuid4(),))
    db.close()
    browser_login(page, "member1")
    page.get_by_role("link", name="Notifications", exact=True).click()
    item = page.locator("li.card").filter(has_text="Inscription confirmée : Rédiger un mémoire")
    item.get_by_role("link", name="Voir").click()
    assert page.get_by_role("heading", name="Rédiger un mémoire technique").is_visible()
    assert page.url.endswith("/formations/1")
