"""Two scenarios in a real headless Chromium: an advisor takes a session's attendance and the
member downloads the certificate; a forgotten password is reset from the emailed link."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests
from playwright.sync_api import expect

from centrale.db import Database
from centrale.testing import prepared_settings

pytestmark = pytest.mark.integration


def started_session_with(people: list[tuple[int, str, str]]) -> int:
    """A session that began an hour ago, its people confirmed, attendance not yet taken."""
    from formation.sessions import schedule_session
    from formation.store.modules import upsert_module

    db = Database.from_settings(prepared_settings("formation")).open()
    start = datetime.now(ZoneInfo("Europe/Paris")).replace(microsecond=0) - timedelta(hours=1)
    with db.transaction() as conn:
        upsert_module(conn, "prix", "Construire son prix", "Le bordereau.", 3)
        session = schedule_session(conn, {
            "module_code": "prix", "starts_at": start, "ends_at": start + timedelta(hours=3),
            "place": "Maison de l'ESS, Saint-Étienne", "trainer": "Julien Roche",
            "capacity": 10})
        for structure_id, name, email in people:
            conn.execute(
                "INSERT INTO registrations (session_id, structure_id, person_name, email, status,"
                " registered_by, created_at, confirmed_at) VALUES (%s, %s, %s, %s, 'confirmed',"
                " 'tests', %s, %s)", (session["id"], structure_id, name, email,
                                      start - timedelta(days=9), start - timedelta(days=9)))
    db.close()
    return session["id"]


def test_an_advisor_takes_attendance_and_the_member_downloads_the_certificate(
        stack, page, browser, browser_login, fresh_attempts, screenshot):
    started_session_with([(1, "Karima Djebbar", "karima@test.example"),
                                (1, "Hugo Martin", "hugo@test.example")])
    browser_login(page, "advisor")
    page.get_by_role("link", name="Formations", exact=True).click()
    page.get_by_role("link", name=re.compile("Construire son prix")).first.click()
    expect(page.get_by_role("heading", name="Feuille de présence")).to_be_visible()
    sheet = page.locator("#presences")
    assert "Régie de quartier Solidarité Montreynaud" in sheet.inner_text()  # a name, no number
    sheet.locator("tr").filter(has_text="Hugo Martin").get_by_label("Absent·e").check()
    sheet.get_by_label("Heures de présence de Karima Djebbar").fill("2,5")
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_text("Feuille de présence enregistrée")).to_be_visible()
    karima = page.locator("#presences tr").filter(has_text="Karima Djebbar")
    assert karima.get_by_label("Présent·e").is_checked()
    assert karima.get_by_role("textbox").input_value() == "2,5"
    assert page.locator("#presences tr").filter(has_text="Hugo Martin") \
        .get_by_label("Absent·e").is_checked()
    screenshot(page, "conseillere-feuille-de-presence")

    member_context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris",
                                         accept_downloads=True)
    member = member_context.new_page()
    errors = []
    member.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    browser_login(member, "member1")
    member.get_by_role("link", name="Formations", exact=True).click()
    row = member.locator("tbody tr").filter(has_text="Karima Djebbar")
    assert "Construire son prix" in row.inner_text() and "Présent·e" in row.inner_text()
    with member.expect_download() as download:
        row.get_by_role("link", name="Attestation (PDF)").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")
    assert member.locator("tbody tr").filter(has_text="Hugo Martin") \
        .get_by_role("link", name="Attestation (PDF)").count() == 0
    screenshot(member, "membre-attestation")
    member_context.close()
    assert errors == []


def test_a_forgotten_password_is_reset_from_the_emailed_link(stack, page, mailbox, portail_db,
                                                            fresh_attempts, screenshot):
    from portail import accounts

    with portail_db.transaction() as conn:
        accounts.create_user(conn, "oubli@test.example", "Odile Bravard", "ancien-mot-de-passe",
                             "membre", 2)
    page.goto(f"{stack}/connexion")
    page.get_by_role("link", name="Mot de passe oublié ?").click()
    page.get_by_label("Adresse électronique de votre compte").fill("oubli@test.example")
    page.get_by_role("button", name="Recevoir le lien").click()
    expect(page.get_by_text("Si un compte existe pour cette adresse")).to_be_visible()
    from centrale.testing import wait_until

    [mail] = wait_until(lambda: [m for m in mailbox.messages
                                 if "oubli@test.example" in str(m["To"])], timeout=30,
                        message="the reset email never arrived")
    text = mail.get_body(preferencelist=("plain",)).get_content()
    link = re.search(r"http://\S+/mot-de-passe/\S+", text).group(0)
    assert link.startswith(stack)

    page.goto(link)
    page.get_by_label("Nouveau mot de passe (12 caractères au moins)").fill("court")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("court")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_text("12 caractères au moins.")).to_be_visible()
    page.get_by_label("Nouveau mot de passe (12 caractères au moins)").fill("nouveau-mot-de-passe")
    page.get_by_label("Confirmez le nouveau mot de passe").fill("nouveau-mot-de-passe")
    screenshot(page, "mot-de-passe-nouveau")
    page.get_by_role("button", name="Enregistrer le mot de passe").click()
    expect(page.get_by_text("Mot de passe changé : connectez-vous avec le nouveau.")).to_be_visible()

    page.get_by_label("Adresse électronique").fill("oubli@test.example")
    page.get_by_label("Mot de passe").fill("nouveau-mot-de-passe")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Bonjour Odile Bravard")).to_be_visible()
    used = requests.get(link, timeout=10)  # used once
    assert used.status_code == 404 and "Lien invalide" in used.text
