"""A buyer's need in a browser, end to end through the real services: the buyer posts it (CPV
codes suggested from its words), an advisor validates it, the structure whose profile it meets
gets the alert email, answers « intéressé » with a quote from the tender's page, and the buyer
sees the answer and records whom it chose."""

from urllib.parse import quote

import pytest

from centrale.testing import wait_until
from centrale.testing.clock import paris_at

pytestmark = pytest.mark.integration

OBJECT = "Entretien des espaces verts du parc de Novaciéries"
BUYER_EMAIL = "achats@saint-chamond.example"  # buyer1
MATCHING_CONTACT = "contact@relais-forez.example"  # structure 2: its profile « Espaces verts »


def mentions(message, text: str) -> bool:
    return text in message["Subject"] or text in message.get_body(("plain",)).get_content()


def test_a_need_posted_validated_alerted_answered_and_decided(
        stack, page, browser, browser_login, fresh_attempts, mailbox, screenshot, reads_well):
    browser_login(page, "buyer1")
    page.get_by_role("link", name="Déposer un besoin").first.click()
    page.get_by_label("Objet du besoin").fill(OBJECT)
    page.get_by_label("Description").fill(
        "Tonte des pelouses, taille des haies et entretien des espaces verts du parc, "
        "d'avril à octobre.")
    page.get_by_label("Département").fill("Loire")
    page.get_by_label("Lieu d'exécution").fill("Saint-Chamond")
    page.get_by_label("Lots").fill("Tonte et taille\nRamassage des feuilles")
    page.get_by_label("Date limite de réponse").fill(paris_at(40, 12).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Budget").select_option(label="De 4 000 à 40 000 € HT")
    page.get_by_role("button", name="Enregistrer le besoin").click()
    # No CPV code typed: the need's words suggest some, shown before it is saved.
    assert page.locator("#suggestions").is_visible()
    assert "773" in page.get_by_label("Codes CPV").input_value()
    screenshot(page, "besoin-codes-suggeres")
    page.get_by_role("button", name="Enregistrer le besoin").click()
    assert page.get_by_role("heading", name=OBJECT).is_visible()
    assert page.locator("#etat").inner_text() == "En attente de validation"
    assert reads_well(page) == []
    screenshot(page, "besoin-depose")
    need_url = page.url

    advisor = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris").new_page()
    browser_login(advisor, "advisor")
    advisor.get_by_role("link", name="Besoins des acheteurs").click()
    advisor.get_by_role("link", name=OBJECT).click()
    advisor.get_by_label("Valider et publier").check()
    advisor.get_by_role("button", name="Enregistrer la décision").click()
    assert advisor.get_by_text("Besoin publié").is_visible()
    assert advisor.locator("#etat").inner_text() == "Publié"
    screenshot(advisor, "besoin-valide")
    tender_path = advisor.get_by_role("link", name="voir tel que les structures le lisent"
                                      ).get_attribute("href")
    advisor.context.close()

    [alert] = wait_until(lambda: [m for m in mailbox.to(MATCHING_CONTACT) if mentions(m, OBJECT)],
                         timeout=60, message="no alert email to the matching structure")
    assert "Ville de Saint-Chamond" in alert.get_body(("plain",)).get_content()

    member = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris").new_page()
    browser_login(member, "member2")
    member.get_by_role("link", name="Nos alertes", exact=True).click()
    assert member.get_by_text(OBJECT).first.is_visible()
    member.goto(f"{stack}/appels-d-offres?q=" + quote(OBJECT))
    row = member.locator("li.card").filter(has_text=OBJECT)
    assert row.locator(".origin").inner_text() == "Besoin déposé à la Centrale"
    member.goto(f"{stack}{tender_path}")
    assert member.locator("#origine").inner_text() == "Besoin déposé à la Centrale"
    member.get_by_label("Votre message à l'acheteur").fill(
        "Notre équipe de 8 salariés en insertion entretient déjà deux parcs à Saint-Chamond.")
    member.get_by_label("Votre devis").set_input_files(
        files=[{"name": "devis-parc.pdf", "mimeType": "application/pdf",
                "buffer": b"%PDF-1.4 devis du Relais"}])
    screenshot(member, "besoin-interesse")
    member.get_by_role("button", name="Nous sommes intéressés").click()
    assert member.get_by_text("Votre intérêt est transmis à l'acheteur").is_visible()
    assert member.locator("#nos-reponses").get_by_text(OBJECT).is_visible()
    assert reads_well(member) == []
    member.context.close()

    # The buyer heard it by email too, through the bus (veille's need.answered).
    wait_until(lambda: [m for m in mailbox.to(BUYER_EMAIL)
                        if m["Subject"] == f"Une structure intéressée : « {OBJECT} »"],
               timeout=60, message="the buyer was not told of the answer")
    page.goto(need_url)
    answers = page.locator("#reponses-structures")
    assert answers.get_by_text("Le Relais Emploi Forez").is_visible()
    assert answers.get_by_text("Notre équipe de 8 salariés").is_visible()
    assert answers.get_by_role("link", name="Écrire à la structure").get_attribute("href") == (
        "mailto:jardins@test.example")  # who answered: the buyer contacts the structure
    with page.expect_download() as download:
        answers.get_by_role("link", name="devis-parc.pdf").click()
    assert download.value.suggested_filename == "devis-parc.pdf"
    screenshot(page, "besoin-reponses")
    page.get_by_label("Retenue").check()
    page.get_by_label("Montant HT").fill("12 500")
    page.get_by_role("button", name="Enregistrer le résultat").click()
    assert page.get_by_text("Résultat enregistré. Merci").is_visible()
    assert page.locator("#etat").inner_text() == "Résultat enregistré"
    assert answers.get_by_text("Retenue — 12 500,00 €").is_visible()
    assert reads_well(page) == []
    screenshot(page, "besoin-resultat")
