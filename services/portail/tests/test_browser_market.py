"""The veille's pages in a real headless Chromium (screenshots in test-artifacts/, no console
error, each page shown read for raw codes and checked by axe-core): an advisor opens an
awarded tender and follows its links to the winner's and the buyer's pages, then finds the
buyer by name; a contract ending within the year is listed for renewal; a tender declared « sans suite » is told on the case opened on it; a tender
whose own deadline passed is searched and shown open until its last lot closes; a member
is refused a profile with no criterion, creates one and is told how many open tenders it
found at once, edits it and is told again, sees one alert card per tender naming every
profile and lot that found it, and reads its private feed through the portail; a search by
buyer is exported as CSV; an advisor reads the feed polls and the quarantine, and the market's
pages on a phone (their tables stacked, nothing scrolls sideways). Every tender
these tests read is written here, through veille's API, under names of their own."""

from __future__ import annotations

import csv
import io
import itertools
import random
import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests
from lxml import etree
from playwright.sync_api import expect

from centrale.auth import service_token
from centrale.french import long_date, long_datetime, spreadsheet_datetime
from centrale.testing import TEST_SECRET

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
_numbers = itertools.count(random.randint(1000, 8999) * 10)


def veille(stack_urls, method: str, path: str, **kwargs):
    headers = {"Authorization": f"Bearer {service_token(TEST_SECRET, 'tests')}"}
    response = requests.request(method, stack_urls["veille"] + path, headers=headers,
                                timeout=30, **kwargs)
    assert response.status_code < 300, (path, response.text)
    return response.json() if response.content else None


def siret(prefix: int, number: int) -> str:
    return f"{prefix}{number:09d}0001"[:14]


def notice(number: int, suffix: str, title: str, **fields) -> dict:
    """A notice of this test's own buyer, « Commune de Vallon-<number> »."""
    return {"source": "manuel", "source_id": f"VP-{number}-{suffix}",
            "procedure_id": f"VP-{number}-{suffix}", "notice_type": "contract", "title": title,
            "description": "", "buyer": {"name": f"Commune de Vallon-{number}",
                                         "siret": siret(2, number)},
            "cpv_main": "90911200", "place": {"departments": ["42"]}, **fields}


def days_ahead(days: int) -> str:
    return (datetime.now(PARIS) + timedelta(days=days)).replace(microsecond=0).isoformat()


@pytest.fixture
def shown(screenshot, reads_well):
    """A page as a person reaches it: its screenshot, and it reads well (no raw code, no ISO
    date, no serious or critical axe-core violation)."""
    def check(page, name: str) -> None:
        screenshot(page, name)
        assert reads_well(page) == [], name

    return check


def test_an_advisor_follows_an_award_to_its_winner_and_its_buyer(
        stack, stack_urls, page, browser_login, fresh_attempts, shown):
    number = next(_numbers)
    winner_siret, rival_siret = siret(4, number), siret(5, number)
    awarded_on = (datetime.now(PARIS) - timedelta(days=40)).date()
    # An award notice with two lots, each with its clauses, one of them won by an ESAT.
    tender = veille(stack_urls, "POST", "/api/tenders", json=notice(
        number, "A", "Entretien ménager des gymnases communaux", notice_type="award",
        url="https://www.boamp.fr/pages/avis/?q=vallon",
        documents_url="https://marches.example/dce/vallon",
        lots=[{"id": "1", "title": "Gymnase des Tilleuls", "social_clause": True,
               "reserved": ["sheltered_workshop"]},
              {"id": "2", "title": "Gymnase du Stade", "insertion_clause": True}],
        awards=[{"lot": "1", "winner": {"name": "ESAT Les Ateliers du Gier",
                                        "siret": winner_siret},
                 "amount": {"amount": 48250, "currency": "EUR"},
                 "date": awarded_on.isoformat()},
                {"lot": "2", "winner": {"name": "Propreté Forézienne", "siret": rival_siret},
                 "amount": {"amount": 61000, "currency": "EUR"},
                 "date": awarded_on.isoformat()}]))
    # The buyer's call still open, for its page.
    veille(stack_urls, "POST", "/api/tenders", json=notice(
        number, "B", "Nettoyage de la médiathèque", deadline=days_ahead(30),
        lots=[{"id": "1", "title": "Médiathèque", "reserved": ["insertion"]}]))

    browser_login(page, "advisor")
    page.goto(f"{stack}/appels-d-offres/{tender['id']}")
    expect(page.locator("#etat")).to_contain_text("Attribué")
    assert "Ce marché a été attribué" in page.locator("main").inner_text()
    awards = page.locator("#attributions")
    lot_one = awards.locator("tr").filter(has_text="ESAT Les Ateliers du Gier")
    assert "Lot 1" in lot_one.inner_text() and "48 250,00 €" in lot_one.inner_text()
    assert long_date(awarded_on) in lot_one.inner_text()
    lots = page.locator("#lots")
    assert "Clause sociale" in lots.locator("tr").filter(has_text="Tilleuls").inner_text()
    assert "Clause d'insertion" in lots.locator("tr").filter(has_text="Stade").inner_text()
    assert lots.locator("tr").filter(has_text="Tilleuls").get_by_text("Attribué").is_visible()
    assert page.get_by_role("link", name="Consulter l'avis officiel").get_attribute("href") \
        == "https://www.boamp.fr/pages/avis/?q=vallon"
    assert page.get_by_role("link", name=re.compile("dossier de consultation")) \
        .get_attribute("href") == "https://marches.example/dce/vallon"
    shown(page, "conseiller-marche-attribue")

    # The winner's page: what it won, and who else wins on its trade.
    page.get_by_role("link", name="ESAT Les Ateliers du Gier").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ESAT Les Ateliers du Gier")
    assert f"SIRET {winner_siret}" in page.locator("main").inner_text()
    assert "Entretien ménager des gymnases communaux" in page.locator("main").inner_text()
    assert "48 250,00 €" in page.locator("#bilan").inner_text()
    assert "9091" in page.locator("#bilan").inner_text()  # its trade, a CPV class
    assert page.get_by_role("link", name="Propreté Forézienne").is_visible()  # a competitor
    shown(page, "conseiller-titulaire")

    # The buyer's page, from the winner's: its open call, its awards, its shares.
    page.get_by_role("link", name=f"Commune de Vallon-{number}").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Commune de Vallon-{number}")
    main = page.locator("main").inner_text()
    assert "Nettoyage de la médiathèque" in main and "Ouvert aux réponses" in main
    # Three lots in all (two, and one tender of one lot): two reserved, two with a clause.
    parts = page.locator("#parts").inner_text()
    assert "2 sur 3 (67 %)" in parts
    assert "Propreté Forézienne" in main and "61 000,00 €" in main
    shown(page, "conseiller-acheteur")

    # Found again by its name, from the menu.
    page.get_by_role("link", name="Acheteurs", exact=True).click()
    page.get_by_label("Nom de l'acheteur").fill(f"Vallon-{number}")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("status")).to_have_text("1 acheteur")
    assert page.get_by_role("link", name=f"Commune de Vallon-{number}").is_visible()
    shown(page, "conseiller-acheteurs")


def test_a_tender_declared_sans_suite_is_told_on_its_open_case(
        stack, stack_urls, page, browser_login, fresh_attempts, shown):
    from centrale.testing import wait_until

    number = next(_numbers)
    tender = veille(stack_urls, "POST", "/api/tenders", json=notice(
        number, "A", "Entretien des vestiaires du stade", deadline=days_ahead(30)))
    headers = {"Authorization": f"Bearer {service_token(TEST_SECRET, 'tests')}"}
    wait_until(lambda: requests.get(f"{stack_urls['accompagnement']}/api/tenders/{tender['id']}",
                                    headers=headers, timeout=5).status_code == 200,
               timeout=30, message="the tender never reached accompagnement")
    browser_login(page, "advisor")
    page.goto(f"{stack}/appels-d-offres/{tender['id']}")
    page.get_by_role("link", name="Ouvrir un dossier pour une structure").click()
    page.get_by_label("Structure qui répond").select_option(
        label="Régie de quartier Solidarité Montreynaud")
    page.get_by_role("button", name="Ouvrir le dossier").click()
    case_id = int(re.search(r"/dossiers/(\d+)", page.url).group(1))

    # The buyer declares it « sans suite » (a corrigendum of the same procedure).
    veille(stack_urls, "POST", "/api/tenders", json=notice(
        number, "A-R", "Entretien des vestiaires du stade", notice_type="corrigendum",
        procedure_id=f"VP-{number}-A", cancelled=True))
    told = "La veille annonce que l'appel d'offres est déclaré sans suite."
    wait_until(lambda: any(n["body"] == told for n in requests.get(
        f"{stack_urls['accompagnement']}/api/cases/{case_id}/notes", headers=headers,
        timeout=5).json()), timeout=30, message="the case was never told")
    page.reload()
    expect(page.locator("#notes + ul")).to_contain_text(told)
    shown(page, "conseiller-dossier-sans-suite")
    page.goto(f"{stack}/appels-d-offres/{tender['id']}")
    expect(page.locator("#etat")).to_contain_text("Sans suite")
    assert "Ce marché a été déclaré sans suite" in page.locator("main").inner_text()
    # No case is opened on it any more.
    assert page.get_by_role("link", name="Ouvrir un dossier pour une structure").count() == 0
    shown(page, "conseiller-marche-sans-suite")


def test_a_tender_stays_open_while_one_of_its_lots_is(stack, stack_urls, page, browser_login,
                                                     fresh_attempts, shown):
    number = next(_numbers)
    passed, ahead = days_ahead(-3), days_ahead(20)
    tender = veille(stack_urls, "POST", "/api/tenders", json=notice(
        number, "A", "Entretien des espaces verts, deux secteurs", deadline=passed,
        lots=[{"id": "1", "title": "Secteur nord", "deadline": passed},
              {"id": "2", "title": "Secteur sud", "deadline": ahead}]))
    browser_login(page, "member1")
    page.get_by_role("link", name="Appels d'offres", exact=True).click()
    page.get_by_label("Acheteur").fill(f"Vallon-{number}")
    page.get_by_role("button", name="Chercher").click()  # open tenders, the search's default
    expect(page.get_by_role("status")).to_have_text("1 appel d'offres")
    card = page.locator("li.card")
    assert "Ouvert aux réponses" in card.inner_text()
    assert long_datetime(datetime.fromisoformat(ahead)) in card.inner_text()  # lot 2's
    card.get_by_role("link").first.click()
    assert page.url.endswith(f"/appels-d-offres/{tender['id']}")
    expect(page.locator("#etat")).to_contain_text("Ouvert aux réponses")
    lots = page.locator("#lots")
    assert "Clos, résultat attendu" in lots.locator("tr").filter(has_text="nord").inner_text()
    south = lots.locator("tr").filter(has_text="sud").inner_text()
    assert "Ouvert aux réponses" in south
    assert long_datetime(datetime.fromisoformat(ahead)) in south
    shown(page, "membre-marche-un-lot-ouvert")


def test_the_market_s_pages_fit_a_phone(stack, stack_urls, browser, browser_login, reads_well,
                                        fresh_attempts):
    number = next(_numbers)
    tender = veille(stack_urls, "POST", "/api/tenders", json=notice(
        number, "A", "Nettoyage des équipements sportifs de la commune", notice_type="award",
        lots=[{"id": "1", "title": "Piscine municipale", "social_clause": True}],
        awards=[{"lot": "1", "winner": {"name": "Entreprise d'insertion du Pilat",
                                        "siret": siret(8, number)},
                 "amount": {"amount": 73400, "currency": "EUR"}, "date": None}]))
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="fr-FR",
                                  timezone_id="Europe/Paris", is_mobile=True, has_touch=True)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        browser_login(page, "advisor")
        for path in (f"/appels-d-offres/{tender['id']}", f"/titulaires/{siret(8, number)}",
                     f"/acheteurs/{siret(2, number)}", "/veille/releves"):
            page.goto(stack + path)
            # Each table's cells stack under their column's name: no sideways scrolling.
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), \
                path
            assert reads_well(page) == [], path
        page.goto(f"{stack}/appels-d-offres/{tender['id']}")
        amount = page.locator("#attributions td[data-label='Montant']")
        assert amount.inner_text() == "73 400,00 €"
        # Its column's name is written before it, the table's head being out of sight.
        assert amount.evaluate("td => getComputedStyle(td, '::before').content") != "none"
        assert page.locator("#attributions thead").bounding_box()["x"] < 0
        page.screenshot(path=str(ARTIFACTS / "conseiller-attribution-telephone.png"),
                        full_page=True)
    finally:
        context.close()
    assert errors == []


def test_a_buyer_s_contract_ending_within_the_year_is_listed_for_renewal(
        stack, page, browser_login, fresh_attempts, shown):
    """As veille computes renewals from a contract's end (here a DECP-like contract read by
    its importer, the way the feeds bring them), the buyer's page lists it to be renewed."""
    from centrale.db import Database
    from centrale.testing import prepared_settings
    from veille.ingest import IngestReport, Ingester

    number = next(_numbers)
    today = datetime.now(PARIS).date()
    ends = today + timedelta(days=160)
    settings = prepared_settings("veille")
    db = Database.from_settings(settings).open()
    try:
        Ingester(db, settings, today=today).store([{
            **notice(number, "A", "Entretien des chaudières des écoles", notice_type="award",
                     cpv_main="50720000",
                     awards=[{"lot": None, "winner": {"name": "Chauffage Forézien",
                                                      "siret": siret(3, number)},
                              "amount": {"amount": 84000, "currency": "EUR"},
                              "date": (today - timedelta(days=200)).isoformat()}]),
            "source": "decp", "cpv_additional": [], "estimated_value": None, "deadline": None,
            "procedure_type": "open", "reserved": [], "social_criteria": False, "lots": [],
            "url": None, "language": "fr",
            "contract": {"start": (today - timedelta(days=200)).isoformat(),
                         "duration_months": 12, "end": ends.isoformat(), "amount": None,
                         "modifications": []}}], IngestReport(), "test")
    finally:
        db.close()
    browser_login(page, "advisor")
    page.goto(f"{stack}/acheteurs/{siret(2, number)}")
    renewals = page.locator("#renouvellements + ul")
    expect(renewals).to_contain_text("Entretien des chaudières des écoles")
    assert f"fin du contrat le {long_date(ends)}" in renewals.inner_text()
    assert "1 appel d'offres connu de la veille" in page.locator("main").inner_text()
    shown(page, "conseiller-acheteur-renouvellement")
    renewals.get_by_role("link").first.click()
    assert long_date(ends) in page.locator("#attributions").inner_text()


def test_buyers_and_winners_are_open_to_members(stack, stack_urls, login, fresh_attempts):
    number = next(_numbers)
    veille(stack_urls, "POST", "/api/tenders", json=notice(
        number, "A", "Tonte des terrains de sport", notice_type="award", cpv_main="77313000",
        awards=[{"lot": None, "winner": {"name": "Jardins de Cocagne du Pilat",
                                         "siret": siret(6, number)},
                 "amount": {"amount": 12000, "currency": "EUR"}, "date": None}]))
    member = login("member2")
    found = member.get(f"{stack}/acheteurs", params={"q": f"Vallon-{number}"})
    assert found.status_code == 200
    link = re.search(r'href="(/acheteurs/[^"]+)">Commune de Vallon-', found.text).group(1)
    buyer = member.get(stack + link)
    assert buyer.status_code == 200 and "Tonte des terrains de sport" in buyer.text
    winner = member.get(f"{stack}/titulaires/{siret(6, number)}")
    assert winner.status_code == 200 and "Jardins de Cocagne du Pilat" in winner.text
    assert member.get(f"{stack}/titulaires/123").status_code == 404
    assert member.get(f"{stack}/titulaires/{siret(7, number)}").status_code == 404
    assert member.get(f"{stack}/acheteurs/99999999999999").status_code == 404


def test_a_member_creates_a_profile_and_is_told_how_many_open_tenders_it_found(
        stack, stack_urls, page, browser_login, fresh_attempts, shown):
    number = next(_numbers)
    # A word and a CPV code no other tender of the stack holds.
    word = "xylo" + "".join("bcdfghjklm"[int(digit)] for digit in str(number))
    roofs = "45261410"

    def roof(suffix: str, **fields) -> dict:
        return notice(number, suffix, f"Traitement {word} des charpentes, site {suffix}",
                      cpv_main=roofs, **fields)

    for suffix, department in (("A", "42"), ("B", "42"), ("C", "43")):
        veille(stack_urls, "POST", "/api/tenders", json=roof(
            suffix, deadline=days_ahead(90), place={"departments": [department]},
            lots=[{"id": "1", "title": "Charpentes", "social_clause": suffix != "B"}]))
    # An awarded one is not counted: only open tenders are.
    veille(stack_urls, "POST", "/api/tenders", json=roof(
        "D", notice_type="award",
        awards=[{"lot": None, "winner": {"name": "Charpentes du Forez", "siret": None},
                 "amount": None, "date": None}]))

    browser_login(page, "member1")
    page.get_by_role("link", name="Nos profils").click()
    # A profile that says nothing of what it looks for is refused (veille's 422), in French.
    page.get_by_label("Nom du profil").fill("Tout")
    page.get_by_role("button", name="Créer le profil").click()
    expect(page.get_by_role("alert")).to_contain_text("Indiquez au moins un critère")
    expect(page.get_by_role("heading", name="Tout", exact=True)).to_have_count(0)
    shown(page, "membre-profil-refuse")
    page.get_by_label("Nom du profil").fill("Charpentes")
    page.get_by_label("Mots-clés (séparés par des virgules)").fill(word)
    page.get_by_role("button", name="Créer le profil").click()
    expect(page.get_by_role("status").filter(has_text="Profil « Charpentes » créé.")) \
        .to_contain_text("3 appels d'offres ouverts correspondent déjà à ce profil.")
    shown(page, "membre-profil-trouves")

    # Site C is awarded meanwhile (its award notice, merged into its call).
    veille(stack_urls, "POST", "/api/tenders", json={
        **roof("C", notice_type="award", place={"departments": ["43"]},
               awards=[{"lot": "1", "winner": {"name": "Charpentes du Forez", "siret": None},
                        "amount": None, "date": None}]),
        "source_id": f"VP-{number}-C-attribution"})

    # Edited: Loire only, lots with a social clause: told again, with the new figure.
    card = page.locator("#profils li.card").filter(has_text="Charpentes")
    card.get_by_role("link", name=re.compile("^Modifier")).click()
    shown(page, "membre-profil-modifier")
    page.get_by_label("Départements (ex. : 42, 43)").fill("Loire")
    page.get_by_label("Clause sociale").check()
    page.get_by_label("Montant estimé maximum, en euros HT (facultatif)").fill("50000")
    page.get_by_role("button", name="Enregistrer le profil").click()
    expect(page.get_by_role("status").filter(has_text="Profil « Charpentes » modifié.")) \
        .to_contain_text("1 appel d'offres ouvert correspond déjà à ce profil.")
    card = page.locator("#profils li.card").filter(has_text="Charpentes")
    assert "clause sociale" in card.inner_text() and "départements : 42" in card.inner_text()
    assert "montant jusqu'à 50 000,00 €" in card.inner_text()

    # A second profile meeting the same tenders: still one alert per tender.
    page.get_by_label("Nom du profil").fill("Toitures")
    page.get_by_label("Codes CPV ou débuts de codes (séparés par des virgules)").fill(roofs[:6])
    page.get_by_role("button", name="Créer le profil").click()
    expect(page.get_by_role("status").filter(has_text="Profil « Toitures » créé.")) \
        .to_contain_text("2 appels d'offres ouverts correspondent déjà à ce profil.")

    # Its private Atom feed, at the portail's address, read without a session.
    card = page.locator("#profils li.card").filter(has_text="Charpentes")
    feed_url = card.locator("code.url").inner_text()
    assert feed_url.startswith(stack + "/flux/") and feed_url.endswith(".atom")
    feed = requests.get(feed_url, timeout=10)
    assert feed.status_code == 200
    assert feed.headers["Content-Type"].startswith("application/atom+xml")
    atom = {"a": "http://www.w3.org/2005/Atom"}
    titles = [t.text for t in etree.fromstring(feed.content).findall("a:entry/a:title", atom)]
    assert f"Traitement {word} des charpentes, site A" in titles
    assert requests.get(feed_url.replace("/flux/", "/flux/x"), timeout=10).status_code == 404

    # The alerts: one card per tender, the profiles that found it, why, the score's parts,
    # and the result of the one awarded since.
    page.get_by_role("link", name="Nos alertes", exact=True).click()
    alert = page.locator("#alertes li.card").filter(has_text=f"{word} des charpentes, site A")
    expect(alert).to_have_count(1)
    assert "Trouvé par les profils « Charpentes » et « Toitures » · lot 1" \
        in alert.inner_text()
    alert.get_by_text(re.compile(r"^Note .* le détail$")).click()
    parts = alert.locator("table").inner_text()
    assert "Mots-clés" in parts and "dans le titre" in parts
    assert "Délai pour répondre" in parts
    # The note is the share of the points of the parts that apply: their sums are said.
    cells = [re.fullmatch(r"([\d,]+) sur ([\d,]+)", cell).groups() for cell in
             alert.locator("tbody td[data-label='Points']").all_inner_texts()]
    got, out_of = (sum(float(pair[i].replace(",", ".")) for pair in cells) for i in (0, 1))
    said = re.search(r"critères qui s'appliquent ici : ([\d,]+) sur ([\d,]+)\.",
                     alert.inner_text()).groups()
    assert [float(x.replace(",", ".")) for x in said] == [got, out_of] and out_of < 100
    awarded = page.locator("#alertes li.card").filter(has_text=f"{word} des charpentes, site C")
    assert "Résultat : attribué" in awarded.inner_text()
    shown(page, "membre-alertes-pourquoi")


def test_a_search_by_buyer_is_exported_as_csv(stack, stack_urls, page, browser_login,
                                              fresh_attempts, shown):
    number = next(_numbers)
    closing = days_ahead(45)
    veille(stack_urls, "POST", "/api/tenders", json=notice(
        number, "A", "Nettoyage des vitres de la mairie", deadline=closing))
    veille(stack_urls, "POST", "/api/tenders", json=notice(
        number, "B", "Nettoyage des écoles", notice_type="award",
        awards=[{"lot": None, "winner": {"name": "Régie de quartier", "siret": None},
                 "amount": None, "date": None}]))

    browser_login(page, "member2")
    page.get_by_role("link", name="Appels d'offres", exact=True).click()
    page.get_by_label("Acheteur").fill(f"Vallon-{number}")
    page.get_by_label("État").select_option(label="Tous")
    page.get_by_role("button", name="Chercher").click()
    expect(page.get_by_role("status")).to_have_text("2 appels d'offres")
    cards = page.locator("li.card")
    assert "Attribué" in cards.filter(has_text="Nettoyage des écoles").inner_text()
    assert "Ouvert aux réponses" in cards.filter(has_text="vitres").inner_text()
    export = page.get_by_role("link", name="Exporter en CSV")
    href = export.get_attribute("href")
    assert href.startswith("/appels-d-offres/export.csv?") and "token" not in href.lower()
    shown(page, "membre-recherche-acheteur")
    with page.expect_download() as download_info:
        export.click()
    download = download_info.value
    assert download.suggested_filename == "appels-d-offres.csv"
    text = open(download.path(), encoding="utf-8-sig").read()
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert {row["Objet"]: row["État"] for row in rows} == {
        "Nettoyage des vitres de la mairie": "Ouvert aux réponses",
        "Nettoyage des écoles": "Attribué"}
    assert {row["Acheteur"] for row in rows} == {f"Commune de Vallon-{number}"}
    vitres = next(row for row in rows if row["Objet"].startswith("Nettoyage des vitres"))
    assert vitres["Date limite"] == spreadsheet_datetime(datetime.fromisoformat(closing))


def test_the_feed_polls_say_nothing_was_missed_and_the_quarantine_keeps_the_raw_text(
        stack, stack_urls, login, page, browser_login, fresh_attempts, shown):
    from centrale.db import Database
    from centrale.testing import prepared_settings
    from veille.store.feed_polls import open_poll, record_poll
    from veille.store.quarantine import quarantine

    number = next(_numbers)
    db = Database.from_settings(prepared_settings("veille")).open()
    with db.transaction() as conn:
        poll = open_poll(conn, "boamp", f"run-{number}", {"since": "hier"})
        record_poll(conn, poll, {"pages": 3, "announced": 250, "received": 250, "created": 180,
                                 "updated": 40, "unchanged": 27, "quarantined": 1,
                                 "skipped": 0}, {"since": "aujourd'hui"}, status="finished")
        raw = f'{{"idweb": "VP-{number}", "objet": ["une liste où du texte est attendu"]}}'
        kept = quarantine(conn, f"BOAMP, page 2, avis VP-{number}",
                          "champ « objet » : du texte est attendu, une liste est venue", raw)
    db.close()
    advisor = login("advisor")
    polls = advisor.get(f"{stack}/veille/releves", params={"source": "boamp"})
    assert polls.status_code == 200
    row = re.search(r"<tr class=\"row-warn\">(.*?)</tr>", polls.text, re.S).group(1)
    cells = re.findall(r'<td data-label="([^"]+)">(?:<strong>)?([^<]*)', row)
    figures = dict(cells)
    assert (figures["Annoncés"], figures["Créés"], figures["Mis à jour"],
            figures["Déjà connus"], figures["En quarantaine"], figures["Manquants"]) == (
        "250", "180", "40", "27", "1", "2")  # 250 - (180 + 40 + 27 + 1 + 0)
    assert figures["État"] == "Terminé" and figures["Source"] == "BOAMP"
    assert "avis annoncés et ni importés ni mis de côté" in polls.text
    listed = advisor.get(f"{stack}/veille/quarantaine").text
    assert f"BOAMP, page 2, avis VP-{number}" in listed
    text = advisor.get(f"{stack}/veille/quarantaine/{kept}/texte-brut.txt")
    assert text.headers["Content-Type"].startswith("text/plain") and text.text == raw
    member = login("member1")
    for path in ("/veille/releves", "/veille/quarantaine",
                 f"/veille/quarantaine/{kept}/texte-brut.txt"):
        assert member.get(stack + path, allow_redirects=False).status_code == 403

    # As an advisor reaches them, from the menu.
    browser_login(page, "advisor")
    page.get_by_role("link", name="Relevés de la veille").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relevés de la veille")
    shown(page, "conseiller-releves")
    page.goto(f"{stack}/veille/quarantaine")
    expect(page.locator("main")).to_contain_text(f"BOAMP, page 2, avis VP-{number}")
    shown(page, "conseiller-quarantaine")
