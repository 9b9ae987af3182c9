"""A deposit blocked by a warning, in a real headless Chromium: the case page warns that
mandatory documents are missing, the move to « En attente du résultat » without a reason is
refused with accompagnement's own words, so is a reason too short to say anything, and an
advisor's reason lets it through, kept in the
case's history."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from centrale.testing import as_service

pytestmark = pytest.mark.integration
PARIS = ZoneInfo("Europe/Paris")


def accompagnement(stack_urls, method, path, **kwargs):
    return as_service(stack_urls["accompagnement"], method, path, **kwargs)


def test_a_deposit_with_missing_documents_needs_an_advisor_s_reason(
        stack, stack_urls, page, browser_login, fresh_attempts, screenshot):
    deadline = (datetime.now(PARIS) + timedelta(days=15)).replace(microsecond=0).isoformat()
    case = accompagnement(stack_urls, "POST", "/api/cases", json={
        "structure_id": 1, "title": "Entretien des locaux de la mutuelle",
        "buyer_name": "Mutuelle du Forez", "deadline": deadline})
    accompagnement(stack_urls, "POST", f"/api/cases/{case['id']}/checklist", json={})
    for stage in ("drafting", "review", "submission"):
        accompagnement(stack_urls, "POST", f"/api/cases/{case['id']}/stage",
                       json={"stage": stage})

    browser_login(page, "advisor")
    page.goto(f"{stack}/dossiers/{case['id']}")
    warning = page.locator("#avertissements")
    expect(warning).to_contain_text("obligatoire")
    page.get_by_label("Passer à l'étape").select_option(label="En attente du résultat")
    page.get_by_role("button", name="Changer d'étape").click()
    expect(page.get_by_text("Dépôt bloqué")).to_be_visible()
    assert page.locator("#stage").inner_text() == "Dépôt"
    screenshot(page, "depot-bloque")

    page.get_by_label("Passer à l'étape").select_option(label="En attente du résultat")
    page.get_by_label("Motif pour déposer malgré l'avertissement").fill("ok")
    page.get_by_role("button", name="Changer d'étape").click()
    expect(page.get_by_text("compte au moins 3 caractères")).to_be_visible()
    assert page.locator("#stage").inner_text() == "Dépôt"

    page.get_by_label("Passer à l'étape").select_option(label="En attente du résultat")
    page.get_by_label("Motif pour déposer malgré l'avertissement").fill(
        "L'acheteur accepte l'attestation d'assurance après l'attribution.")
    page.get_by_role("button", name="Changer d'étape").click()
    expect(page.locator("#stage")).to_have_text("En attente du résultat")
    expect(page.locator("ol.timeline")).to_contain_text(
        "L'acheteur accepte l'attestation d'assurance après l'attribution.")
    expect(page.locator("ol.timeline")).to_contain_text("Déposé malgré l'avertissement")
    screenshot(page, "depot-motive")
    [stored] = [c for c in accompagnement(stack_urls, "GET", "/api/cases",
                                          params={"structure_id": 1, "limit": 200})
                if c["id"] == case["id"]]
    assert stored["stage"] == "awaiting_result"
