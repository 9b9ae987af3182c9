"""The training calendar in the browser: a member registers two people on a two-seat session,
a third goes to the waitlist and moves up when someone cancels."""

import pytest

pytestmark = pytest.mark.integration


def test_register_waitlist_and_promotion(stack, page, browser_login, fresh_attempts, screenshot):
    browser_login(page, "member1")
    page.get_by_role("link", name="Formations", exact=True).click()
    page.get_by_role("link", name="Rédiger un mémoire technique").click()
    for name, email in (("Léa Faure", "lea@test.example"), ("Omar Haddad", "omar@test.example"),
                        ("Inès Morel", "ines@test.example")):
        page.get_by_label("Nom et prénom de la personne").fill(name)
        page.get_by_label("Son adresse électronique").fill(email)
        page.get_by_role("button", name="Inscrire").click()
    assert page.get_by_text("Session complète : Inès Morel est en liste d'attente (position 1)."
                            ).is_visible()
    rows = page.locator("tbody tr")
    assert [rows.nth(i).inner_text().split("\t")[0] for i in range(rows.count())] == [
        "Léa Faure", "Omar Haddad", "Inès Morel"]
    screenshot(page, "membre-session-liste-attente")
    page.once("dialog", lambda dialog: dialog.accept())
    rows.filter(has_text="Léa Faure").get_by_role("button", name="Annuler").click()
    assert page.get_by_text("Inscription annulée. La liste d'attente avance.").is_visible()
    assert "Inscrit·e" in page.locator("tbody tr").filter(has_text="Inès Morel").inner_text()
    page.get_by_role("link", name="Formations", exact=True).click()
    assert page.get_by_role("heading", name="Nos inscriptions").is_visible()
    screenshot(page, "membre-formations")


def test_another_structure_does_not_see_these_people(stack, page, browser_login, fresh_attempts,
                                                     login, csrf):
    member1 = login("member1")
    form = member1.get(f"{stack}/formations/1").text
    member1.post(f"{stack}/formations/1", data={"csrf_token": csrf(form), "name": "Omar Haddad",
                                                "email": "omar.h@test.example"})
    assert "Omar Haddad" in member1.get(f"{stack}/formations/1").text
    browser_login(page, "member2")
    page.get_by_role("link", name="Formations", exact=True).click()
    page.get_by_role("link", name="Rédiger un mémoire technique").click()
    assert "Omar Haddad" not in page.locator("main").inner_text()
