"""The training calendar in the browser: a member registers two people on a two-seat session,
a third goes to the waitlist and moves up when someone cancels."""

import pytest
from playwright.sync_api import expect

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
    expect(page.get_by_text("Session complète : Inès Morel est en liste d'attente (position 1)."
                            )).to_be_visible()
    rows = page.locator("tbody tr")
    assert [rows.nth(i).inner_text().split("\t")[0] for i in range(rows.count())] == [
        "Léa Faure", "Omar Haddad", "Inès Morel"]
    screenshot(page, "membre-session-liste-attente")
    page.once("dialog", lambda dialog: dialog.accept())
    rows.filter(has_text="Léa Faure").get_by_role("button", name="Annuler").click()
    expect(page.get_by_text("Inscription annulée. La liste d'attente avance.")).to_be_visible()
    assert "Inscrit·e" in page.locator("tbody tr").filter(has_text="Inès Morel").inner_text()
    page.get_by_role("link", name="Formations", exact=True).click()
    expect(page.get_by_role("heading", name="Nos inscriptions")).to_be_visible()
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


def held_session_with(people: list[tuple[int, str, str]]) -> dict[str, int]:
    """A session held last week, attendance recorded: each person (structure, name, email)
    was there. Returns their registration ids by name."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from centrale.db import Database
    from centrale.testing import prepared_settings
    from formation.sessions import schedule_session
    from formation.store.modules import upsert_module

    db = Database.from_settings(prepared_settings("formation")).open()
    start = (datetime.now(ZoneInfo("Europe/Paris")) - timedelta(days=7)).replace(
        hour=9, minute=0, second=0, microsecond=0)
    ids = {}
    with db.transaction() as conn:
        upsert_module(conn, "dume", "Répondre avec le DUME",
                      "Remplir le document unique.", 3)
        session = schedule_session(conn, {
            "module_code": "dume", "starts_at": start, "ends_at": start + timedelta(hours=3),
            "place": "Maison de l'ESS, Saint-Étienne", "trainer": "Julien Roche",
            "capacity": 10})
        conn.execute("UPDATE sessions SET status = 'held', survey_requested_at = %s WHERE id = %s",
                     (start + timedelta(hours=3), session["id"]))
        for structure_id, name, email in people:
            ids[name] = conn.execute(
                "INSERT INTO registrations (session_id, structure_id, person_name, email, status,"
                " registered_by, created_at, confirmed_at, attended, attended_hours,"
                " attendance_recorded_at) VALUES (%s, %s, %s, %s, 'confirmed', 'tests', %s, %s,"
                " true, 3, %s) RETURNING id",
                (session["id"], structure_id, name, email, start - timedelta(days=10),
                 start - timedelta(days=10), start + timedelta(hours=3))).fetchone()["id"]
    db.close()
    return ids


def test_a_participant_gives_their_opinion_once_and_another_structure_cannot(
        stack, page, browser_login, fresh_attempts, login, csrf, screenshot):
    ids = held_session_with([(1, "Karim Sahli", "karim@test.example"),
                             (2, "Zoé Lambert", "zoe@test.example")])
    browser_login(page, "member1")
    page.get_by_role("link", name="Formations", exact=True).click()
    row = page.locator("tbody tr").filter(has_text="Karim Sahli")
    assert "Présent·e" in row.inner_text()
    assert row.get_by_role("button", name="Annuler").count() == 0  # the session is over
    row.get_by_role("link", name="Donner notre avis").click()
    expect(page.get_by_role("heading", name="Votre avis sur la formation « Répondre avec le "
                                            "DUME »")).to_be_visible()
    page.get_by_role("button", name="Envoyer mon avis").click()  # no score chosen
    expect(page.get_by_text("Choisissez une note de 1 à 5.")).to_be_visible()
    page.get_by_label("4 — satisfait·e").check()
    page.get_by_label("Un commentaire pour l'équipe (facultatif)").fill(
        "Très concret, les exemples de DUME nous ont servi dès le lendemain.")
    screenshot(page, "membre-avis-formation")
    page.get_by_role("button", name="Envoyer mon avis").click()
    expect(page.get_by_text("Merci : votre avis est enregistré.")).to_be_visible()
    row = page.locator("tbody tr").filter(has_text="Karim Sahli")
    assert row.get_by_role("link", name="Avis donné : 4/5").is_visible()
    row.get_by_role("link", name="Avis donné : 4/5").click()
    expect(page.get_by_text("dès le lendemain")).to_be_visible()
    assert page.get_by_role("button", name="Envoyer mon avis").count() == 0  # once only

    # A replayed form changes nothing: formation keeps the first answer.
    member1 = login("member1")
    url = f"{stack}/inscriptions/{ids['Karim Sahli']}/avis"
    token = csrf(member1.get(url).text)
    member1.post(url, data={"csrf_token": token, "score": "1", "comment": "autre"})
    survey = formation_registration(ids["Karim Sahli"])["survey"]
    assert (survey["score"], survey["comment"]) == (
        4, "Très concret, les exemples de DUME nous ont servi dès le lendemain.")

    # Another structure's participant is out of reach, by URL too.
    other = member1.get(f"{stack}/inscriptions/{ids['Zoé Lambert']}/avis",
                        allow_redirects=False)
    assert other.status_code == 404
    assert "Zoé Lambert" not in other.text
    response = member1.post(f"{stack}/inscriptions/{ids['Zoé Lambert']}/avis",
                            data={"csrf_token": token, "score": "1"}, allow_redirects=False)
    assert response.status_code == 404
    assert formation_registration(ids["Zoé Lambert"])["survey"] is None


def formation_registration(registration_id: int) -> dict:
    """The registration's survey as formation's database holds it."""
    from centrale.db import Database
    from centrale.testing import prepared_settings

    db = Database.from_settings(prepared_settings("formation")).open()
    with db.transaction() as conn:
        row = conn.execute("SELECT survey_score, survey_comment FROM registrations WHERE id = %s",
                           (registration_id,)).fetchone()
    db.close()
    return {"survey": None if row["survey_score"] is None else
            {"score": row["survey_score"], "comment": row["survey_comment"]}}


def test_an_advisor_moves_a_session_and_its_people_are_told(
        stack, page, browser_login, fresh_attempts, followed_session, login, csrf, screenshot):
    """The advisor moves a session from its page: a refused move says why; an accepted one
    shows the new dates, and formation tells the person registered. A member cannot."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from centrale.db import Database
    from centrale.testing import outbox_events, prepared_settings

    sid = followed_session["id"]
    member1 = login("member1")
    form = member1.get(f"{stack}/formations/{sid}").text
    assert "Déplacer la session" not in form
    member1.post(f"{stack}/formations/{sid}", data={"csrf_token": csrf(form), "name": "Léa Faure",
                                                    "email": "lea.move@test.example"})
    refused = member1.post(f"{stack}/formations/{sid}/deplacer", allow_redirects=False, data={
        "csrf_token": csrf(form), "starts_at": "2027-06-01T09:00", "ends_at": "2027-06-01T12:00"})
    assert refused.status_code == 403

    new_day = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=50)).date()
    browser_login(page, "advisor")
    page.goto(f"{stack}/formations/{sid}")

    def move(start: str, end: str, reason: str = "") -> None:
        page.get_by_text("Déplacer la session").click()
        page.get_by_label("Nouveau début").fill(f"{new_day.isoformat()}T{start}")
        page.get_by_label("Nouvelle fin").fill(f"{new_day.isoformat()}T{end}")
        page.get_by_label("Motif, dit aux inscrits (facultatif)").fill(reason)
        page.get_by_role("button", name="Déplacer", exact=True).click()

    move("14:00", "13:00")
    expect(page.get_by_text("Déplacement refusé : La fin doit suivre le début.")).to_be_visible()
    move("14:00", "17:30", "Salle indisponible")
    expect(page.get_by_text("Session déplacée : la personne inscrite reçoit les nouvelles "
                            "dates.")).to_be_visible()
    facts = page.locator("dl.facts").inner_text()
    assert f"{new_day.day} " in facts and "de 14 h à 17 h 30" in facts
    screenshot(page, "conseiller-session-deplacee")

    db = Database.from_settings(prepared_settings("formation")).open()
    try:
        [told] = [e["data"] for e in outbox_events(db, "training.session_rescheduled")
                  if e["data"]["session_id"] == sid]
    finally:
        db.close()
    assert [p["email"] for p in told["people"]] == ["lea.move@test.example"]
    assert told["reason"] == "Salle indisponible"
    assert told["starts_at"] == datetime(new_day.year, new_day.month, new_day.day, 14,
                                         tzinfo=ZoneInfo("Europe/Paris")).isoformat()


def test_an_advisor_cancels_a_session_and_its_people_are_told(
        stack, page, browser_login, fresh_attempts, followed_session, login, csrf, screenshot):
    from centrale.db import Database
    from centrale.testing import outbox_events, prepared_settings, wait_until

    sid = followed_session["id"]
    member1 = login("member1")
    form = member1.get(f"{stack}/formations/{sid}").text
    assert "Annuler la session" not in form
    member1.post(f"{stack}/formations/{sid}", data={"csrf_token": csrf(form), "name": "Omar Haddad",
                                                    "email": "omar.cancel@test.example"})
    assert member1.post(f"{stack}/formations/{sid}/annuler", allow_redirects=False, data={
        "csrf_token": csrf(form), "reason": "Je préfère"}).status_code == 403

    browser_login(page, "advisor")
    page.goto(f"{stack}/formations/{sid}")
    assert "Programmée" in page.locator("dl.facts").inner_text()
    page.get_by_text("Annuler la session", exact=True).first.click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Annuler la session").click()
    expect(page.get_by_text("Annulation refusée : Indiquez le motif.")).to_be_visible()

    page.get_by_text("Annuler la session", exact=True).first.click()
    page.get_by_label("Motif de l'annulation, dit aux inscrits").fill("Formatrice indisponible")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Annuler la session").click()
    expect(page.get_by_text("Session annulée : les personnes inscrites ou en liste d'attente "
                            "sont prévenues.")).to_be_visible()

    def shown_cancelled():
        page.reload()
        return "Session annulée : Formatrice indisponible" in page.locator("dl.facts").inner_text()

    wait_until(shown_cancelled, timeout=20, message="the session's workflow did not cancel it")
    assert page.get_by_text("Déplacer la session").count() == 0
    assert page.get_by_role("button", name="Annuler").count() == 0  # nothing left to cancel
    screenshot(page, "conseiller-session-annulee")
    db = Database.from_settings(prepared_settings("formation")).open()
    try:
        [told] = [e["data"] for e in outbox_events(db, "training.session_cancelled")
                  if e["data"]["session_id"] == sid]
    finally:
        db.close()
    assert [p["email"] for p in told["people"]] == ["omar.cancel@test.example"]


def test_an_advisor_schedules_a_session_from_the_calendar(stack, page, browser_login,
                                                          fresh_attempts, screenshot):
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    browser_login(page, "advisor")
    page.get_by_role("link", name="Formations", exact=True).click()
    page.get_by_role("link", name="Programmer une session").click()
    page.get_by_label("Module").select_option(label="Rédiger un mémoire technique")
    page.get_by_label("Début").fill("2020-01-06T09:00")
    page.get_by_label("Fin", exact=True).fill("2020-01-06T12:00")
    page.get_by_label("Formateur ou formatrice").fill("Julien Roche")
    page.get_by_label("Places").fill("8")
    page.get_by_role("button", name="Programmer").click()
    expect(page.get_by_text("La session doit commencer dans le futur.")).to_be_visible()

    day = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=60)).date()
    page.get_by_label("Début").fill(f"{day.isoformat()}T09:30")
    page.get_by_label("Fin", exact=True).fill(f"{day.isoformat()}T12:30")
    page.get_by_role("button", name="Programmer").click()
    expect(page.get_by_text("Indiquez un lieu ou un lien de visioconférence.")).to_be_visible()
    page.get_by_label("Lien de visioconférence (facultatif)").fill("https://visio.example/ab")
    page.get_by_role("button", name="Programmer").click()
    expect(page.get_by_text("Session programmée : les rappels, la clôture des inscriptions "
                            "et le questionnaire suivront.")).to_be_visible()
    facts = page.locator("dl.facts").inner_text()
    assert "9 h 30" in facts and "Programmée" in facts and "8 sur" not in facts
    assert "0 inscrit·e·s sur 8" in facts and "https://visio.example/ab" in facts
    screenshot(page, "conseiller-session-programmee")
