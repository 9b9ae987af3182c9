"""An advisor's day in a real headless Chromium, against every real service: she registers a
structure, opens a case for it from a matched tender (the case is hers), scores the bid /
no-bid grid, builds a groupement in which each partner holds a lot, records the win with its
amount, and finds it in the impact chart."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from centrale.testing import wait_until
from playwright.sync_api import expect

pytestmark = pytest.mark.integration

NEW_SIRET = "73282932000074"  # a valid SIRET (Luhn) no other test uses


def test_an_advisor_s_day_from_a_new_structure_to_a_win_in_the_impact_chart(
        stack, page, browser_login, fresh_attempts, login, csrf, screenshot):
    browser_login(page, "advisor")

    # A new structure, refused by the field first (a wrong SIRET), then registered.
    page.get_by_role("link", name="Structures", exact=True).click()
    page.get_by_role("link", name="Inscrire une structure").click()
    page.get_by_label("Raison sociale").fill("Association Les Vitres du Velay")
    page.get_by_label("SIRET (14 chiffres)").fill("12345678901234")
    page.get_by_label("Forme juridique").select_option(label="Association loi 1901")
    page.get_by_label("Catégorie").select_option(label="Association")
    page.get_by_label("Rue", exact=True).fill("4 rue Saint-Gilles")
    page.get_by_label("Code postal", exact=True).fill("43000")
    page.get_by_label("Ville", exact=True).fill("Le Puy-en-Velay")
    page.get_by_label("Activités : codes CPV").fill("9091")
    page.get_by_label("Effectif (salariés et personnes en parcours)").fill("12")
    page.get_by_label("Nom du contact 1").fill("Maud Chabanel")
    page.get_by_label("Son adresse électronique").first.fill("maud@vitres-velay.example")
    page.get_by_role("button", name="Inscrire la structure").click()
    expect(page.locator("#f-siret-err")).to_contain_text("SIRET")
    page.get_by_label("SIRET (14 chiffres)").fill(NEW_SIRET)
    page.get_by_role("button", name="Inscrire la structure").click()
    expect(page.get_by_role("heading", name="Association Les Vitres du Velay")).to_be_visible()
    assert "Le Puy-en-Velay" in page.locator("dl.facts").inner_text()
    screenshot(page, "journee-conseillere-structure")

    # A tender matched for the Régie (structure 1), answered by the new structure.
    page.get_by_role("link", name="Structures", exact=True).click()
    row = page.locator("tbody tr").filter(has_text="Régie de quartier Solidarité Montreynaud")
    row.get_by_role("link", name="Alertes").click()
    page.locator("li.card").filter(has_text="Nettoyage de la vitrerie des bâtiments communaux") \
        .get_by_role("link").first.click()
    page.get_by_role("link", name="Ouvrir un dossier pour une structure").click()
    page.get_by_label("Structure qui répond").select_option(label="Association Les Vitres du Velay")
    assert page.get_by_label("Conseiller·ère du dossier").locator("option:checked") \
        .inner_text() == "Claire Martin"
    page.get_by_role("button", name="Ouvrir le dossier").click()
    assert page.locator("#stage").inner_text() == "Diagnostic"
    assert page.locator("#advisor").inner_text() == "Claire Martin"
    case_url = page.url
    case_id = int(case_url.rstrip("/").rsplit("/", 1)[1])

    # The grid: the facts' suggestions, the rest scored by hand.
    page.get_by_role("link", name="Établir le diagnostic go / no-go").click()
    for select in page.locator("select[id^=score-]").all():
        select.select_option("4")
    page.get_by_label("Commentaire (facultatif)").fill("Équipe formée au travail en hauteur.")
    screenshot(page, "journee-conseillere-diagnostic")
    page.get_by_role("button", name="Enregistrer le diagnostic").click()
    expect(page.get_by_text("Diagnostic enregistré.")).to_be_visible()
    expect(page.get_by_text("Go —")).to_be_visible()

    # The groupement: the Jardins (structure 2) invited, their member accepts, a lot each.
    page.get_by_role("link", name="Monter le groupement").click()
    other = page.locator("form").filter(has=page.get_by_label("Structure", exact=True))
    if other.count():
        page.get_by_label("Structure", exact=True).select_option(label="Le Relais Emploi Forez")
        page.get_by_label("Rôle proposé").last.select_option("cotraitant_conjoint")
        page.get_by_role("button", name="Inviter", exact=True).click()
    else:  # suggested: invited from the suggestion
        page.locator("li.card").filter(has_text="Le Relais Emploi Forez") \
            .get_by_role("button").click()
    expect(page.get_by_text("Le Relais Emploi Forez est invitée dans le groupement.")) \
        .to_be_visible()
    partner = login("member2")
    invitations = partner.get(f"{stack}/groupements").text
    assert "Nettoyage de la vitrerie des bâtiments communaux" in invitations
    partner.post(f"{stack}/groupements/{case_id}/reponse", data={
        "csrf_token": csrf(invitations), "accepted": "oui", "comment": "Partants pour le lot 2"})
    page.reload()
    lead = page.locator("#composition tr").filter(has_text="Association Les Vitres du Velay")
    jardins = page.locator("#composition tr").filter(has_text="Le Relais Emploi Forez")
    assert "A accepté" in jardins.inner_text()
    lead.get_by_role("textbox").fill("60")
    lead.get_by_label("Lot 1").check()
    jardins.get_by_role("combobox").select_option("cotraitant_conjoint")
    jardins.get_by_role("textbox").fill("40")
    jardins.get_by_label("Lot 2").check()
    page.get_by_role("button", name="Enregistrer la composition").click()
    expect(page.get_by_text("Groupement constitué : rôles, parts et lots enregistrés.")) \
        .to_be_visible()
    screenshot(page, "journee-conseillere-groupement")
    page.goto(case_url)
    members = page.locator("table").filter(has_text="Lots").inner_text()
    assert "Association Les Vitres du Velay\tMandataire\t60 %\t1" in members
    assert "Le Relais Emploi Forez\tCotraitant conjoint\t40 %\t2" in members

    # Through the stages, then the win with its amount (refused without one).
    for stage in ("Rédaction", "Relecture", "Dépôt", "En attente du résultat"):
        page.get_by_label("Passer à l'étape").select_option(label=stage)
        page.get_by_role("button", name="Changer d'étape").click()
        assert page.locator("#stage").inner_text() == stage
    page.get_by_role("radio", name="Gagné").check()
    page.get_by_role("button", name="Enregistrer le résultat").click()
    assert "Indiquez le montant attribué" in page.get_by_role("alert").inner_text()
    page.get_by_role("radio", name="Gagné").check()
    page.get_by_label("Montant attribué, en euros HT").fill("48 500,00")
    page.get_by_label("Retour de l'acheteur (facultatif)").fill("Offre la mieux notée.")
    page.get_by_role("button", name="Enregistrer le résultat").click()
    assert page.locator("#stage").inner_text() == "Gagné"
    assert "48 500,00 €" in page.locator("dl.facts").inner_text()
    assert "Résultat enregistré : gagné, 48 500,00 € HT." in page.locator("#journal").inner_text()
    screenshot(page, "journee-conseillere-gagne")

    # The impact chart shows it, this month.
    page.get_by_role("link", name="Impact", exact=True).click()
    # Polled from here: the page's CSP forbids the eval wait_for_function relies on.
    wait_until(lambda: page.evaluate("() => Boolean(window.impactCharts"
                                     " && window.impactCharts.amounts_by_month)"), timeout=10,
               message="the impact chart was not drawn")
    amounts = page.evaluate("window.impactCharts.amounts_by_month.data.datasets[0].data")
    months = page.evaluate("window.impactCharts.amounts_by_month.data.labels")
    this_month = datetime.now(ZoneInfo("Europe/Paris")).month
    assert amounts[-1] >= 48500 and len(months) == this_month
    last_row = page.locator("#table-amounts_by_month tbody tr").last.text_content()
    assert "48 500,00 €" in last_row.replace("\u202f", " ").replace("\xa0", " ")
    screenshot(page, "journee-conseillere-impact")
