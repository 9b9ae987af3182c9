"""Every page of the portail, found by following its links as an advisor and as a member, over
the demo data of accompagnement and formation and veille's demo notices, plus data at every stage (cases won and in progress, a groupement, a diagnosis, shared and internal
notes, hours, documents, a held session): each one answers, shows no raw code (« user:12 »,
an English status, an ISO timestamp, a blank or numbered label) and passes axe-core's
accessibility rules with no serious or critical violation."""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import urljoin, urlsplit
from zoneinfo import ZoneInfo

import pytest

from centrale.testing import as_service as api

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")
SKIPPED = (".pdf", ".docx", ".csv", ".ics", ".atom", ".txt", "/fichier", "/deconnexion",
           "/static/")
MAX_PAGES = 80


@pytest.fixture(scope="module")
def a_territory_at_work(stack, stack_urls, demo_data):
    """The demo data, then cases of structure 2 at several stages (requests for a quote: no
    tender is taken from the other tests), one won in a groupement with structure 1."""
    base = stack_urls["accompagnement"]
    deadline = (datetime.now(PARIS) + timedelta(days=25)).replace(microsecond=0).isoformat()

    def quote(title: str) -> dict:
        return api(base, "POST", "/api/cases", json={
            "structure_id": 2, "title": title, "buyer_name": "Bailleur Loire Habitat",
            "deadline": deadline})

    won = quote("Entretien des espaces verts des résidences du bailleur")
    api(base, "POST", f"/api/cases/{won['id']}/diagnosis", json={"scores": {
        c: 4 for c in ("activity_fit", "capacity", "references", "time_left", "price_position",
                       "reserved_eligibility", "partner_need")}})
    api(base, "POST", f"/api/cases/{won['id']}/notes",
        json={"body": "Visite des résidences faite avec la gardienne.", "shared": True})
    api(base, "POST", f"/api/cases/{won['id']}/notes", json={"body": "Prix à serrer."})
    api(base, "POST", f"/api/cases/{won['id']}/time",
        json={"spent_on": "2026-11-20", "hours": 2.5, "activity": "entretien"})
    api(base, "POST", f"/api/cases/{won['id']}/consortium/invitations",
        json={"structure_id": 1, "role": "cotraitant_conjoint"})
    api(base, "POST", f"/api/cases/{won['id']}/consortium/invitations/1/answer",
        json={"accepted": True})
    api(base, "PUT", f"/api/cases/{won['id']}/consortium", json={"members": [
        {"structure_id": 2, "role": "mandataire", "share_percent": 70},
        {"structure_id": 1, "role": "cotraitant_conjoint", "share_percent": 30}]})
    for stage in ("drafting", "review", "submission", "awaiting_result"):
        api(base, "POST", f"/api/cases/{won['id']}/stage", json={"stage": stage})
    api(base, "POST", f"/api/cases/{won['id']}/outcome",
        json={"outcome": "won", "amount": 36400, "feedback": "Bonne connaissance du site."})
    drafting = quote("Nettoyage des parties communes, quartier Beaubrun")
    api(base, "POST", f"/api/cases/{drafting['id']}/stage", json={"stage": "drafting"})
    api(base, "POST", f"/api/cases/{drafting['id']}/checklist", json={})
    quote("Débroussaillage des talus de la résidence du Soleil")
    api(base, "POST", "/api/structures/2/documents",
        data={"kind": "kbis", "issued_on": "2026-10-01", "expires_on": "2026-12-31"})
    return {"won": won["id"], "drafting": drafting["id"]}


def same_site(stack: str, href: str | None) -> str | None:
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    url = urljoin(stack + "/", href).split("#")[0]
    if not url.startswith(stack) or any(part in url for part in SKIPPED):
        return None
    return url


def crawl(stack: str, page, start: list[str], reads_well) -> dict[str, list[str]]:
    """Every page reached from ``start`` by links (three of each kind at most, say three
    cases): {"pages": [...], url: problems}."""
    seen, queue, problems, kinds = set(), list(start), {}, Counter()
    while queue and len(seen) < MAX_PAGES:
        url = queue.pop(0)
        kind = re.sub(r"\d+", "N", urlsplit(url).path)
        if url in seen or kinds[kind] >= 3:
            continue
        kinds[kind] += 1
        seen.add(url)
        response = page.goto(url)
        found = []
        if response is None or response.status != 200:
            found.append(f"answered {response.status if response else 'nothing'}")
        found += reads_well(page)
        found += ["a fact with no value" for dd in page.locator("dl.facts dd").all()
                  if not dd.inner_text().strip()]
        if found:
            problems[url] = found
        for href in page.locator("a[href]").evaluate_all(
                "links => links.map(link => link.getAttribute('href'))"):
            target = same_site(stack, href)
            if target and target not in seen:
                queue.append(target)
    return {"pages": sorted(seen), **problems}


@pytest.mark.parametrize("who", ["advisor", "member2"])
def test_every_page_reads_well_and_is_accessible(stack, a_territory_at_work, page, browser_login,
                                                 fresh_attempts, reads_well, who):
    browser_login(page, who)
    cases = [f"{stack}/dossiers/{a_territory_at_work[name]}" for name in ("won", "drafting")]
    # The veille's market pages too: every state of the demo notices, buyers found by name.
    start = [f"{stack}/", *cases, f"{stack}/dossiers/liste?state=all",
             f"{stack}/appels-d-offres?status=all", f"{stack}/acheteurs?q=Saint"]
    if who == "advisor":
        start += [f"{stack}/structures/2", f"{stack}/impact", f"{stack}/veille/releves",
                  f"{stack}/dossiers/{a_territory_at_work['drafting']}/diagnostic",
                  f"{stack}/dossiers/{a_territory_at_work['drafting']}/groupement"]
    report = crawl(stack, page, start, reads_well)
    pages = report.pop("pages")
    assert len(pages) >= (25 if who == "advisor" else 12), pages
    assert report == {}, "\n".join(f"{url}: {problems}" for url, problems in report.items())


def test_the_public_pages_are_accessible(stack, page, reads_well):
    for path in ("/connexion", "/mot-de-passe-oublie", "/rapport-d-impact"):
        page.goto(stack + path)
        assert reads_well(page) == [], path
