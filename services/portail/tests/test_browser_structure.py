"""A structure member in a real headless Chromium: their alerts with why, « pas intéressé »,
their profiles — never another structure's. Screenshots go to test-artifacts/."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.integration


def test_a_member_sees_why_a_tender_fits_and_can_set_it_aside(stack, page, browser_login,
                                                             fresh_attempts, screenshot):
    browser_login(page, "member1")
    assert page.get_by_role("heading", name="Marchés repérés pour vous").is_visible()
    screenshot(page, "membre-accueil")
    page.get_by_role("link", name="Nos alertes", exact=True).click()
    cards = page.locator("#alertes li.card")
    count = cards.count()
    assert count >= 2
    first_title = cards.first.locator("h2").inner_text()
    assert "CPV 9091" in cards.first.inner_text() or "sous votre 9091" in cards.first.inner_text()
    screenshot(page, "membre-alertes")
    cards.first.get_by_text("Pas intéressé").click()
    cards.first.get_by_label("Pourquoi ce marché ne vous intéresse pas ?").fill(
        "Trop loin de nos équipes")
    cards.first.get_by_role("button", name="Écarter ce marché").click()
    assert page.get_by_role("status").filter(has_text="ne vous sera plus proposé").is_visible()
    assert page.locator("#alertes li.card").count() == count - 1
    assert first_title not in page.locator("#alertes").inner_text()
    # Set aside, not lost: it is listed with its reason and can be proposed again.
    set_aside = page.locator("#ecartes li.card").filter(has_text=first_title)
    assert "« Trop loin de nos équipes »" in set_aside.inner_text()
    set_aside.get_by_role("button").click()
    expect(page.get_by_text("Ce marché vous est de nouveau proposé.")).to_be_visible()
    assert first_title in page.locator("#alertes").inner_text()


def test_a_member_creates_an_alert_profile_and_sees_only_their_own(stack, page, browser_login,
                                                                  fresh_attempts, screenshot):
    browser_login(page, "member2")
    page.goto(f"{stack}/profils")
    assert "Propreté" not in page.locator("main").inner_text()  # structure 1's profile
    page.get_by_label("Nom du profil").fill("Élagage")
    page.get_by_label("Mots-clés (séparés par des virgules)").fill("élagage, arbres")
    page.get_by_label("Départements (ex. : 42, 43)").fill("42")
    page.get_by_role("button", name="Créer le profil").click()
    assert page.get_by_role("heading", name="Élagage").is_visible()
    page.get_by_label("Nom du profil").fill("Trop général")
    page.get_by_label("Mots-clés (séparés par des virgules)").fill("de la")
    page.get_by_role("button", name="Créer le profil").click()
    assert page.get_by_text("« de la » ne contient aucun mot significatif.").is_visible()
    screenshot(page, "membre-profils")


def test_tender_search_and_detail_on_a_phone(stack, browser, fresh_attempts, browser_login):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser_login(page, "advisor")
    page.get_by_role("link", name="Appels d'offres", exact=True).click()
    page.get_by_label("Recherche").fill("numérisation archives")
    page.get_by_role("button", name="Chercher").click()
    assert page.get_by_role("status").inner_text() == "1 appel d'offres"
    page.locator("li.card h3 a").first.click()
    assert page.get_by_role("heading", name="Lots").is_visible()
    assert "Réservé ESAT / EA" in page.locator("table").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.screenshot(path=str(__import__("pathlib").Path(__file__).resolve().parents[3]
                             / "test-artifacts" / "conseiller-detail-telephone.png"),
                    full_page=True)
    context.close()
    assert errors == []
