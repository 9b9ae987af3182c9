"""The social-clause facilitator in a browser, over the real services: the facilitator — whose
menu holds only its pages — finds an awarded lot with an insertion clause among the
territory's lots, annotates its tender (a wrong figure refused by its field), follows the lot
and records the hours of insertion done in a month, on a phone; an advisor reads the note on
the tender's page and the hours in the impact figures. Members and buyers reach none of it."""

import itertools
import random
from datetime import timedelta

import pytest

from centrale.testing import as_service
from centrale.testing.clock import paris_at, paris_today

pytestmark = pytest.mark.integration

_numbers = itertools.count(random.randint(10_000, 90_000))
PHONE = {"viewport": {"width": 390, "height": 844}, "locale": "fr-FR",
         "timezone_id": "Europe/Paris", "is_mobile": True, "has_touch": True}


@pytest.fixture
def awarded_clause_lot(stack_urls):
    """A tender of the Loire whose lot 2 asks for 350 hours of insertion, awarded."""
    number = next(_numbers)
    title = f"Entretien des espaces verts de Rive-de-Gier n° {number}"
    base = {"source": "boamp", "procedure_id": f"P-CL-{number}",
            "buyer": {"name": "Ville de Rive-de-Gier", "siret": "21420186400013"},
            "cpv_main": "77310000", "place": {"departments": ["42"]},
            "deadline": paris_at(-10, 12).isoformat()}
    tender = as_service(stack_urls["veille"], "POST", "/api/tenders", json={
        **base, "source_id": f"CL-{number}", "title": title, "lots": [
            {"id": "1", "title": "Élagage", "cpv_main": "77211400"},
            {"id": "2", "title": "Tonte et taille", "cpv_main": "77310000",
             "insertion_clause": True, "insertion_hours": 350}]})
    as_service(stack_urls["veille"], "POST", "/api/tenders", json={
        **base, "source_id": f"CL-{number}-A", "notice_type": "award",
        "title": f"Avis d'attribution : {title}",
        "awards": [{"lot": "2", "winner": {"name": "Régie Verte du Gier",
                                           "siret": "73282932000074"},
                    "amount": {"amount": 84000, "currency": "EUR"}}]})
    return tender["id"], title


def test_the_facilitator_annotates_follows_and_records_hours_an_advisor_sees_them(
        stack, browser, browser_login, fresh_attempts, awarded_clause_lot, screenshot,
        reads_well, people, password):
    tender_id, title = awarded_clause_lot
    month = (paris_today().replace(day=1) - timedelta(days=1)).replace(day=1)  # last month
    context = browser.new_context(**PHONE)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{stack}/connexion")
        page.get_by_label("Adresse électronique").fill(people["facilitator"][0])
        page.get_by_label("Mot de passe").fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{stack}/clauses")
        assert page.locator("nav[aria-label='Navigation principale'] a").all_inner_texts() == [
            "Marchés à clause sociale", "Marchés suivis", "Mon compte"]

        page.get_by_label("Clause").select_option("insertion")
        page.get_by_role("button", name="Filtrer").click()
        row = page.locator("#lots-clauses tbody tr", has_text=title)
        assert row.count() == 1  # lot 2 only: lot 1 has no clause
        assert "Lot 2" in row.locator("td[data-label='Lot']").inner_text()
        assert row.locator("td[data-label='Heures demandées']").inner_text() == "350 h (avis)"
        assert row.locator("td[data-label='Titulaire']").inner_text() == "Régie Verte du Gier"
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert reads_well(page) == []
        screenshot(page, "facilitateur-lots")

        row.get_by_role("link", name="Annoter").click()
        page.get_by_label("Heures d'insertion demandées par l'acheteur").fill("beaucoup")
        page.get_by_label("Contact chez l'acheteur").fill("M. Roux, service achats, 04 77 75 00 00")
        page.get_by_label("Note pour les conseillers").fill(
            "Clause au lot 2 : 420 heures selon le CCAP, à confirmer avec l'acheteur.")
        page.get_by_role("button", name="Enregistrer la note").click()
        assert page.locator("#hours_required-err").inner_text() == "Nombre attendu (par exemple 1,5)."
        assert reads_well(page) == []
        screenshot(page, "facilitateur-note-refusee")
        page.get_by_label("Heures d'insertion demandées par l'acheteur").fill("420")
        page.get_by_role("button", name="Enregistrer la note").click()
        page.wait_for_url(f"{stack}/appels-d-offres/{tender_id}")
        assert "420 h" in page.locator("#note-facilitateur").inner_text()

        page.goto(f"{stack}/clauses?clause=insertion")
        row = page.locator("#lots-clauses tbody tr", has_text=title)
        assert row.locator("td[data-label='Heures demandées']").inner_text() == "420 h (note)"
        row.get_by_role("button", name="Suivre ce marché").click()
        page.wait_for_url(f"{stack}/clauses/marches")
        assert page.get_by_text("Marché suivi : Régie Verte du Gier.").is_visible()
        card = page.locator("article", has_text=title)
        card.get_by_label("Heures d'insertion faites").fill("-5")
        card.get_by_label("Mois", exact=True).fill(month.strftime("%Y-%m"))
        card.get_by_role("button", name="Enregistrer les heures").click()
        card = page.locator("article", has_text=title)
        assert card.locator(".error").inner_text() == "Nombre d'heures positif attendu."
        card.get_by_label("Mois", exact=True).fill(month.strftime("%Y-%m"))
        card.get_by_label("Heures d'insertion faites").fill("120,5")
        card.get_by_role("button", name="Enregistrer les heures").click()
        assert page.get_by_text("Heures enregistrées").is_visible()
        card = page.locator("article", has_text=title)
        assert card.locator("dd[id$='-faites']").inner_text() == "120 h 30"
        assert "420 h" in card.inner_text()  # the hours the note says, not the notice's 350
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        assert reads_well(page) == []
        screenshot(page, "facilitateur-heures")
    finally:
        screenshot(page, "facilitateur-derniere-page")
        context.close()
    assert errors == []

    advisor = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris").new_page()
    advisor_errors: list[str] = []
    advisor.on("console", lambda m: advisor_errors.append(m.text) if m.type == "error" else None)
    try:
        browser_login(advisor, "advisor")
        advisor.goto(f"{stack}/appels-d-offres/{tender_id}")
        note = advisor.locator("#note-facilitateur").inner_text()
        assert "420 h" in note and "M. Roux, service achats" in note and "selon le CCAP" in note
        assert reads_well(advisor) == []
        screenshot(advisor, "conseiller-note-facilitateur")
        last_day = paris_today().replace(day=1) - timedelta(days=1)
        advisor.goto(f"{stack}/impact?start={month.isoformat()}&end={last_day.isoformat()}")
        figure = advisor.locator("dd[data-figure='insertion_hours']")
        assert figure.inner_text().startswith("120 h 30")
        screenshot(advisor, "conseiller-impact-insertion")
    finally:
        advisor.context.close()
    assert advisor_errors == []
