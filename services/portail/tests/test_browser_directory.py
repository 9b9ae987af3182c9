"""The public directory in a browser: a visitor with no account finds a structure by a French
word typed without its accent, reads its card and writes to it; the structure manages its
consent from its space."""

import re

import pytest

from centrale.testing import wait_until

pytestmark = pytest.mark.integration


def test_a_structure_consents_then_a_visitor_finds_it_without_accents_and_writes_to_it(
        stack, page, browser_login, fresh_attempts, mailbox, screenshot, portail_db):
    with portail_db.transaction() as conn:
        conn.execute("TRUNCATE contact_messages")
    browser_login(page, "member1")
    page.get_by_role("link", name="Notre fiche", exact=True).click()
    if page.get_by_role("button", name="Retirer notre fiche de l'annuaire").count():
        page.get_by_role("button", name="Retirer notre fiche de l'annuaire").click()
    page.get_by_role("button", name="Accepter de figurer dans l'annuaire").click()
    assert page.get_by_text("Votre structure figure désormais dans l'annuaire public.").is_visible()
    page.get_by_label("Présentation de la structure").fill(
        "Régie de quartier : propreté des bâtiments et entretien des espaces verts.")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    assert page.get_by_text("Fiche enregistrée.").is_visible()
    screenshot(page, "annuaire-ma-fiche")
    page.context.clear_cookies()

    page.goto(f"{stack}/annuaire")
    page.get_by_label("Mots-clés").fill("proprete solidarite")
    page.get_by_role("button", name="Chercher").click()
    result = page.get_by_role("link", name="Régie de quartier Solidarité Montreynaud")
    assert result.is_visible()
    assert page.get_by_text("Le Relais Emploi Forez").count() == 0
    screenshot(page, "annuaire-recherche-sans-accent")
    result.click()
    assert page.get_by_role("heading", name="Régie de quartier Solidarité Montreynaud").is_visible()
    assert page.get_by_text("10 à 49 salariés").is_visible()
    assert "@regie-montreynaud.example" not in page.content()
    page.get_by_label("Votre nom").fill("Marc Vidal")
    page.get_by_label("Votre adresse électronique (elle sera vérifiée)").fill(
        "marc.vidal@acheteur-prive.example")
    page.get_by_label("Objet").fill("Nettoyage de nos bureaux")
    page.get_by_label("Votre message").fill("Bonjour, nous cherchons un prestataire pour "
                                            "nettoyer 400 m² de bureaux à Firminy.")
    page.get_by_label("J'accepte que la Centrale transmette").check()
    screenshot(page, "annuaire-fiche-contact")
    page.get_by_role("button", name="Envoyer", exact=True).click()
    assert page.get_by_role("heading", name="Vérifiez votre adresse électronique").is_visible()
    [check] = wait_until(lambda: mailbox.to("marc.vidal@acheteur-prive.example"),
                         message="no address check")
    link = re.search(r"http://\S+/annuaire/confirmer/\S+",
                     check.get_body(("plain",)).get_content()).group(0)
    page.goto(link)
    page.get_by_role("button", name="Envoyer mon message").click()
    assert page.get_by_text("Votre message est transmis à la structure.").is_visible()
    screenshot(page, "annuaire-message-transmis")
    wait_until(lambda: [m for m in mailbox.to("direction@regie-montreynaud.example")
                        if m["Subject"] == "Message de l'annuaire : Nettoyage de nos bureaux"],
               message="message not relayed")
