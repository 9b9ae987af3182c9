"""A structure's member in a real headless Chromium: uploads a document to the vault,
answers a groupement invitation, edits the structure's record (not its official fields) and
its references, and
sees a recommended training by its name."""

import pytest
from playwright.sync_api import expect

from centrale.db import Database
from centrale.testing import as_service, prepared_settings

pytestmark = pytest.mark.integration


def accompagnement(stack_urls, method, path, **kwargs):
    return as_service(stack_urls["accompagnement"], method, path, **kwargs)


def recommend(structure_id: int, module_code: str) -> None:
    """What formation records when a diagnosis recommends a module (diagnosis.completed)."""
    from datetime import datetime, timezone

    from formation.store.recommendations import record_recommendations

    db = Database.from_settings(prepared_settings("formation")).open()
    with db.transaction() as conn:
        record_recommendations(conn, structure_id, None, [module_code],
                               datetime.now(timezone.utc))
    db.close()


def test_a_member_s_day(stack, stack_urls, page, browser_login, fresh_attempts, screenshot,
                        tmp_path):
    # An advisor of the Régie's case invites the member's structure (2) into its groupement.
    tender = next(t for t in accompagnement(stack_urls, "GET", "/api/tenders",
                                            params={"limit": 100})
                  if "vitrerie" not in t["title"] and "hôtel de ville" not in t["title"])
    case = accompagnement(stack_urls, "POST", "/api/cases",
                          json={"structure_id": 1, "tender_id": tender["id"]})
    accompagnement(stack_urls, "POST", f"/api/cases/{case['id']}/consortium/invitations",
                   json={"structure_id": 2, "role": "sous_traitant",
                         "message": "Vous prendriez les espaces verts ?"})
    recommend(2, "memoire-technique")

    browser_login(page, "member2")
    # Their vault: a document with its dates and file.
    page.get_by_role("link", name="Notre structure").click()
    attestation = tmp_path / "attestation-urssaf.pdf"
    attestation.write_bytes(b"%PDF-1.4\n% attestation de vigilance\n")
    page.get_by_label("Type de document").select_option(label="Attestation de vigilance URSSAF")
    page.get_by_label("Délivré le").fill("2026-11-02")
    page.get_by_label("Valable jusqu'au").fill("2027-05-02")
    page.get_by_label("Fichier (1 Mio au plus)").set_input_files(str(attestation))
    page.get_by_role("button", name="Déposer").click()
    expect(page.get_by_text("Document déposé dans le coffre-fort.")).to_be_visible()
    row = page.locator("#documents + * tbody tr, table tbody tr").filter(
        has_text="attestation-urssaf.pdf")
    assert "02/05/2027" in row.first.inner_text()
    assert "Paul Dupuis" not in row.first.inner_text()  # nobody else's name: their own
    screenshot(page, "journee-membre-coffre-fort")

    # The invitation, answered.
    page.get_by_role("link", name="Groupements").click()
    card = page.locator("li.card").filter(has_text=tender["title"])
    assert "Structure pilote : Régie de quartier Solidarité Montreynaud" in card.inner_text()
    assert "Sous-traitant" in card.inner_text()
    card.get_by_label("Un mot pour la structure pilote (facultatif)").fill("Avec plaisir.")
    card.get_by_role("button", name="Rejoindre le groupement").click()
    expect(page.get_by_text("Réponse envoyée : vous rejoignez le groupement.")).to_be_visible()
    assert "A accepté" in page.locator("li.card").filter(has_text=tender["title"]).inner_text()
    members = accompagnement(stack_urls, "GET", f"/api/cases/{case['id']}/consortium")["members"]
    assert {m["structure_id"]: m["status"] for m in members}[2] == "accepted"

    # Their record: the address and capacities; the official fields only as a request.
    page.get_by_role("link", name="Notre structure").click()
    page.get_by_role("link", name="Modifier la fiche").click()
    # The official fields are asked for apart (test_browser_official_changes.py).
    assert page.locator("main > form").get_by_label("SIRET (14 chiffres)").count() == 0
    assert page.locator("#officiel").get_by_role("button",
                                                 name="Demander la modification").is_visible()
    page.get_by_label("Effectif (salariés et personnes en parcours)").fill("19")
    page.get_by_label("Chiffre d'affaires annuel (euros)").fill("612 000,50")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_text("Fiche enregistrée.")).to_be_visible()
    facts = page.locator("dl.facts").inner_text()
    assert "19" in facts and "612 000,50 €" in facts
    record = accompagnement(stack_urls, "GET", "/api/structures/2")
    assert record["capacities"]["headcount"] == 19
    assert record["capacities"]["annual_turnover"] == 612000.5

    # A reference added to the record (a wrong year refused by its field, nothing lost).
    row = len(record["references"])  # the first blank row
    page.get_by_role("link", name="Modifier la fiche").click()
    page.locator(f"#f-reference-{row}-title").fill("Entretien des espaces verts du collège")
    page.locator(f"#f-reference-{row}-buyer").fill("Département de la Loire")
    page.locator(f"#f-reference-{row}-year").fill("l'an dernier")
    page.locator(f"#f-reference-{row}-amount").fill("48 500")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.locator(f"#f-reference-{row}-year-err")).to_be_visible()
    assert page.locator(f"#f-reference-{row}-title").input_value() \
        == "Entretien des espaces verts du collège"
    page.locator(f"#f-reference-{row}-year").fill("2025")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_text("Fiche enregistrée.")).to_be_visible()
    references = page.locator("#references + table").inner_text()
    assert "Entretien des espaces verts du collège" in references
    assert "Département de la Loire" in references and "48 500,00 €" in references
    saved = accompagnement(stack_urls, "GET", "/api/structures/2")["references"][row]
    assert (saved["year"], saved["buyer"]) == (2025, "Département de la Loire")

    # A recommended training, by its name.
    page.get_by_role("link", name="Formations", exact=True).click()
    recommended = page.locator("section").filter(
        has=page.get_by_role("heading", name="Formations recommandées pour nous"))
    assert "Rédiger un mémoire technique" in recommended.inner_text()
    screenshot(page, "journee-membre-formations")
