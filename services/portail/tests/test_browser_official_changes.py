"""Issue 16 point 3 and issue 17 (structures, « with advisor approval of official fields »),
in a real headless Chromium: a member asks for their structure's category to change, the
request waits; an advisor, on a phone, approves it from « Demandes »; the structure's page
shows the new category and the audit line saying who decided."""

import pytest
from playwright.sync_api import expect

from centrale.db import Database
from centrale.testing import as_service, prepared_settings
from portail import accounts

from .conftest import PASSWORD, PEOPLE

pytestmark = pytest.mark.integration

MEMBER = ("direction@atelier-velay.example", "Sonia Arnaud")


@pytest.fixture
def structure_with_member(stack_urls):
    """A structure of its own (the others' tests keep their categories) and its member."""
    created = as_service(stack_urls["accompagnement"], "POST", "/api/structures", json={
        "legal_name": "Atelier du Velay", "siret": "41876523600017", "legal_form": "association",
        "category": "insertion", "insertion_kind": "aci",
        "address": {"street": "3 place du Breuil", "postal_code": "43000",
                    "city": "Le Puy-en-Velay"}, "activities": ["9091"]})
    db = Database.from_settings(prepared_settings("portail")).open()
    with db.transaction() as conn:
        conn.execute("DELETE FROM users WHERE email = %s", (MEMBER[0],))
        accounts.create_user(conn, MEMBER[0], MEMBER[1], PASSWORD, "membre", created["id"], None)
    db.close()
    return created


def log_in(page, stack, email):
    page.goto(f"{stack}/connexion")
    page.get_by_label("Adresse électronique").fill(email)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"{stack}/")


def test_a_member_asks_for_a_category_change_and_an_advisor_approves_it(
        stack, stack_urls, page, browser, structure_with_member, fresh_attempts, screenshot,
        reads_well):
    structure = structure_with_member
    log_in(page, stack, MEMBER[0])
    page.get_by_role("link", name="Notre structure").click()
    page.get_by_role("link", name="Modifier la fiche").click()
    official = page.locator("#officiel")
    official.get_by_label("Catégorie").select_option(label="Entreprise adaptée (EA)")
    # Still an ACI: the service refuses it by its field, nothing is asked.
    official.get_by_role("button", name="Demander la modification").click()
    expect(page.locator("#f-insertion_kind-err")).to_contain_text(
        "Le type d'insertion ne s'applique qu'aux structures d'insertion.")
    assert page.locator("#f-category").input_value() == "ea"  # what was typed, kept
    official = page.locator("#officiel")
    official.get_by_label("Type de structure d'insertion (SIAE)").select_option(
        label="— sans objet —")
    official.get_by_label("Pourquoi (justificatif, date de l'agrément…)").fill(
        "Agrément d'entreprise adaptée reçu le 2 novembre.")
    official.get_by_role("button", name="Demander la modification").click()
    expect(page.get_by_text("Demande de modification envoyée")).to_be_visible()
    assert "Structure d'insertion" in page.locator("main").inner_text()  # not applied yet
    page.get_by_role("link", name="Modifier la fiche").click()
    waiting = page.locator("#demande-en-attente")
    expect(waiting).to_contain_text("catégorie : Structure d'insertion → Entreprise adaptée (EA)")
    assert page.get_by_role("button", name="Demander la modification").count() == 0
    assert reads_well(page) == []
    screenshot(page, "membre-demande-modification")

    phone = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR",
                                timezone_id="Europe/Paris", is_mobile=True, has_touch=True)
    advisor = phone.new_page()
    errors = []
    advisor.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(advisor, stack, PEOPLE["advisor"][0])
    advisor.get_by_role("link", name="Demandes", exact=True).click()
    card = advisor.locator("li.card").filter(has_text="Atelier du Velay")
    expect(card).to_contain_text("Agrément d'entreprise adaptée reçu le 2 novembre.")
    expect(card).to_contain_text(f"Demandée par {MEMBER[1]}")
    # A refusal needs its reason: shown by the field.
    card.get_by_role("button", name="Refuser").click()
    expect(advisor.locator("li.card").filter(has_text="Atelier du Velay")
           .locator(".error")).to_be_visible()
    assert advisor.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    assert reads_well(advisor) == []
    screenshot(advisor, "conseiller-demandes-modification-telephone")
    advisor.locator("li.card").filter(has_text="Atelier du Velay").get_by_role(
        "button", name="Approuver").click()
    expect(advisor.get_by_text("Demande approuvée : la fiche de Atelier du Velay est "
                               "modifiée.")).to_be_visible()
    assert advisor.locator("li.card").filter(has_text="Atelier du Velay").count() == 0

    advisor.goto(f"{stack}/structures/{structure['id']}")
    main = advisor.locator("main").inner_text()
    assert "Entreprise adaptée (EA)" in main
    journal = advisor.locator("#journal").inner_text()
    assert "Modification approuvée : catégorie : Structure d'insertion → Entreprise adaptée " \
           "(EA)" in journal
    assert PEOPLE["advisor"][1] in journal  # who decided
    assert "Modification demandée" in journal and MEMBER[1] in journal  # who asked
    assert reads_well(advisor) == []
    screenshot(advisor, "conseiller-structure-apres-approbation")
    phone.close()
    assert errors == []
    record = as_service(stack_urls["accompagnement"], "GET", f"/api/structures/{structure['id']}")
    assert (record["category"], record["insertion_kind"]) == ("ea", None)
