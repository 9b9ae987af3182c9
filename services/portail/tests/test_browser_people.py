"""Notifications and preferences, documents, and an advisor inviting a member by email."""

import re

import pytest

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
    [message] = mailbox.messages
    assert message["To"] == "invitee@test.example"
    assert message["Subject"] == "Votre accès à la Centrale des Marchés Solidaires"
    link = re.search(r"http://\S+/invitation/\S+", message.get_content()).group(0)
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
    page.get_by_role("link", name="Nos documents", exact=True).click()
    assert page.get_by_role("heading", name="Nos documents").is_visible()
    screenshot(page, "membre-documents")
