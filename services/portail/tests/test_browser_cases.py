"""The acceptance path in a real headless Chromium against the real running services: an
advisor finds a matched tender, opens a case (it is hers), moves it to drafting (only the
allowed moves are offered), ticks a checklist item and downloads the mémoire technique; a member sees only their own
structure's cases and is refused another structure's case by URL."""

import io

import pytest
from playwright.sync_api import expect
from docx import Document

pytestmark = pytest.mark.integration


def test_the_advisor_path_from_a_matched_tender_to_the_memoire(stack, page, browser_login,
                                                               fresh_attempts, screenshot):
    browser_login(page, "advisor")
    page.get_by_role("link", name="Structures", exact=True).click()
    row = page.locator("tbody tr").filter(has_text="Régie de quartier Solidarité Montreynaud")
    row.get_by_role("link", name="Alertes").click()
    card = page.locator("li.card").filter(has_text="Nettoyage des locaux de l'hôtel de ville")
    assert "réservé aux structures d'insertion" in card.inner_text()
    card.get_by_role("link").first.click()
    screenshot(page, "conseiller-avis")
    page.get_by_role("link", name="Ouvrir un dossier pour une structure").click()
    page.get_by_label("Structure qui répond").select_option(
        label="Régie de quartier Solidarité Montreynaud")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    assert page.locator("#stage").inner_text() == "Diagnostic"
    case_url = page.url

    # Only the moves the workflow allows are offered (« Dépôt » straight from the diagnosis
    # would be refused); « Gagné » / « Perdu » go through the outcome form, with the amount.
    offered = page.get_by_label("Passer à l'étape").locator("option").all_inner_texts()
    assert offered == ["Rédaction", "Abandonné", "Manqué"]
    assert page.locator("#advisor").inner_text() == "Claire Martin"  # she opened it

    page.get_by_label("Passer à l'étape").select_option("drafting")
    page.get_by_label("Motif (facultatif)").fill("Go après diagnostic")
    page.get_by_role("button", name="Changer d'étape").click()
    assert page.locator("#stage").inner_text() == "Rédaction"

    page.get_by_role("button", name="Créer la liste des pièces").click()
    first_item = page.locator("#checklist tbody tr").first
    kind = first_item.get_attribute("data-kind")
    first_item.get_by_role("combobox").select_option("fourni")
    first_item.get_by_role("button").click()
    assert "Fourni" in page.locator(f"#checklist tr[data-kind='{kind}'] td").nth(1).inner_text()
    screenshot(page, "conseiller-dossier")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger le mémoire technique (.docx)").click()
    content = download_info.value.path().read_bytes()
    text = "\n".join(p.text for p in Document(io.BytesIO(content)).paragraphs)
    assert "Régie de quartier Solidarité Montreynaud" in text
    assert "Nettoyage des locaux de l'hôtel de ville" in text

    page.get_by_label("Jour").fill("2026-12-01")
    page.get_by_label("Heures").fill("1,5")
    page.get_by_label("Activité").select_option("diagnostic")
    page.get_by_role("button", name="Enregistrer le temps").click()
    expect(page.get_by_text("1 h 30 au total.")).to_be_visible()
    assert page.get_by_text("Pas encore de diagnostic.").is_visible()

    page.get_by_role("link", name="Dossiers", exact=True).click()
    column = page.locator("section").filter(has=page.get_by_role("heading", name="Rédaction"))
    assert "Nettoyage des locaux de l'hôtel de ville" in column.inner_text()
    screenshot(page, "conseiller-tableau")
    page.goto(case_url)


def test_a_member_sees_only_their_structure_cases(stack, page, browser_login, fresh_attempts,
                                                  login, screenshot):
    advisor = login("advisor")
    board = advisor.get(f"{stack}/dossiers").text
    assert "hôtel de ville et des équipements sportifs" in board, "the advisor test opens it"
    case_id = int(board.split('data-case="')[1].split('"')[0])

    browser_login(page, "member1")
    assert page.get_by_role("heading", name="Nos dossiers : ce qui arrive").is_visible()
    assert "hôtel de ville et des équipements" in page.locator("main").inner_text()
    page.get_by_role("link", name="Dossiers", exact=True).click()
    assert page.get_by_role("heading", name="Nos dossiers").is_visible()
    assert "Nettoyage des locaux de l'hôtel de ville" in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Déplacer").count() == 0  # members do not move cases
    screenshot(page, "membre-dossiers")

    other = login("member2")
    refused = other.get(f"{stack}/dossiers/{case_id}")
    assert refused.status_code == 404
    assert "hôtel de ville et des équipements" not in refused.text
    assert other.get(f"{stack}/dossiers/{case_id}/memoire.docx").status_code == 404
    assert "hôtel de ville et des équipements" not in other.get(f"{stack}/dossiers").text
    assert other.get(f"{stack}/structures").status_code == 403
    assert other.get(f"{stack}/impact").status_code == 403


def test_the_impact_dashboard_and_its_csv(stack, login):
    advisor = login("advisor")
    page = advisor.get(f"{stack}/impact")
    assert page.status_code == 200 and "Par structure" in page.text
    assert "Réponses déposées et marchés gagnés, par mois" in page.text
    csv = advisor.get(f"{stack}/impact.csv")
    assert csv.status_code == 200 and csv.headers["Content-Type"].startswith("text/csv")
