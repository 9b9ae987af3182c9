"""What a person trying the portail hit (advisor, then member), each checked over real HTTP
against every real service: French decimal commas, deletable hours, search filters refused by
the field in French (never raw JSON) and départements by name, the structure of a training
registration chosen by name, checklist items that go back, « Expire avant la date limite »,
internal notes and hours kept from members, and the email links answered at the portail's
address. (The stage list offering only allowed moves is in test_browser_cases.py; grouped
stage-change emails and an outcome told once in notifications' test_advisor_day_rules.py.)"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from centrale.testing import TEST_SECRET, as_service as api

pytestmark = pytest.mark.integration
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def quote_case(stack_urls):
    """A request for a quote of structure 1 (no tender: no clash with the other tests)."""
    deadline = (datetime.now(PARIS) + timedelta(days=20)).replace(microsecond=0).isoformat()
    return api(stack_urls["accompagnement"], "POST", "/api/cases", json={
        "structure_id": 1, "title": "Nettoyage du siège de l'entreprise Forézienne",
        "buyer_name": "Forézienne SAS", "deadline": deadline})


def test_hours_written_with_a_comma_are_read_right_and_can_be_deleted(
        stack, stack_urls, login, fresh_attempts, csrf, quote_case):
    advisor = login("advisor")
    page = advisor.get(f"{stack}/dossiers/{quote_case['id']}").text
    advisor.post(f"{stack}/dossiers/{quote_case['id']}/temps", data={
        "csrf_token": csrf(page), "spent_on": "2026-12-02", "hours": "1,5",
        "activity": "entretien"})
    [entry] = api(stack_urls["accompagnement"], "GET",
                  f"/api/cases/{quote_case['id']}/time")["entries"]
    assert entry["hours"] == 1.5  # not 15
    refused = advisor.post(f"{stack}/dossiers/{quote_case['id']}/temps", data={
        "csrf_token": csrf(page), "spent_on": "2026-12-02", "hours": "une heure",
        "activity": "entretien"})
    assert "Nombre attendu (par exemple 1,5)." in refused.text
    shown = advisor.get(f"{stack}/dossiers/{quote_case['id']}").text
    assert "1 h 30 au total." in shown
    advisor.post(f"{stack}/dossiers/{quote_case['id']}/temps/{entry['id']}/supprimer",
                 data={"csrf_token": csrf(shown)})
    assert api(stack_urls["accompagnement"], "GET",
               f"/api/cases/{quote_case['id']}/time")["entries"] == []


def test_a_bad_search_filter_is_said_by_its_field_and_a_departement_may_be_named(
        stack, login, fresh_attempts):
    member = login("member1")
    refused = member.get(f"{stack}/appels-d-offres", params={"cpv": "abc"})
    assert refused.status_code == 200
    assert refused.headers["Content-Type"].startswith("text/html")
    assert '<span class="error" id="cpv-err">Préfixe CPV de 2 à 8 chiffres attendu.</span>' \
        in refused.text
    assert '{"' not in refused.text and "[&#39;" not in refused.text  # no raw structure
    by_name = member.get(f"{stack}/appels-d-offres", params={"department": "Haute-Loire",
                                                           "status": "all"}).text
    by_code = member.get(f"{stack}/appels-d-offres", params={"department": "43",
                                                           "status": "all"}).text
    count = re.compile(r'<p class="count" role="status">([^<]+)</p>')
    assert count.search(by_name).group(1) == count.search(by_code).group(1)
    assert "Puy-en-Velay" in by_name
    unknown = member.get(f"{stack}/appels-d-offres", params={"department": "Mars"}).text
    assert "« Mars » n&#39;est ni un numéro ni un nom de département." in unknown


def test_an_advisor_registers_someone_by_choosing_the_structure_by_name(
        stack, login, fresh_attempts, csrf, followed_session):
    advisor = login("advisor")
    url = f"{stack}/formations/{followed_session['id']}"
    page = advisor.get(url).text
    assert '<option value="2">Le Relais Emploi Forez</option>' in page
    assert "Structure (numéro)" not in page
    done = advisor.post(url, data={"csrf_token": csrf(page), "name": "Yanis Bouzid",
                                   "email": "yanis@test.example", "structure_id": "2"})
    assert "Yanis Bouzid est inscrit·e." in done.text
    row = re.search(r"<tr><td>Yanis Bouzid</td><td>([^<]+)</td>", done.text)
    assert row.group(1) == "Le Relais Emploi Forez"


def test_a_ticked_document_is_unticked_and_an_expired_one_says_so(
        stack, stack_urls, login, fresh_attempts, csrf, quote_case):
    base = stack_urls["accompagnement"]
    # An URSSAF attestation of the vault that expires before the case's deadline (20 days).
    today = datetime.now(PARIS).date()
    api(base, "POST", "/api/structures/1/documents", data={
        "kind": "attestation_urssaf", "issued_on": (today - timedelta(days=150)).isoformat(),
        "expires_on": (today + timedelta(days=3)).isoformat()})
    api(base, "POST", f"/api/cases/{quote_case['id']}/checklist", json={})
    member = login("member1")
    url = f"{stack}/dossiers/{quote_case['id']}"
    page = member.get(url).text
    kind = re.search(r'<tr data-kind="([^"]+)">', page).group(1)
    member.post(f"{url}/pieces/{kind}", data={"csrf_token": csrf(page), "status": "fourni"})
    member.post(f"{url}/pieces/{kind}", data={"csrf_token": csrf(page), "status": "a_fournir"})
    [item] = [i for i in api(base, "GET", f"/api/cases/{quote_case['id']}/checklist")["items"]
              if i["kind"] == kind]
    assert item["stored_status"] == "a_fournir"  # back, after a tick by mistake
    items = api(base, "GET", f"/api/cases/{quote_case['id']}/checklist")["items"]
    [urssaf] = [i for i in items if i["kind"] == "attestation_urssaf"]
    assert urssaf["status"] == "expire"
    row = re.search(r'<tr data-kind="attestation_urssaf">.*?</tr>', member.get(url).text, re.S)
    assert "Expire avant la date limite" in row.group(0)


def test_members_read_only_the_notes_shared_with_them_and_no_hours(
        stack, stack_urls, login, fresh_attempts, quote_case):
    base = stack_urls["accompagnement"]
    api(base, "POST", f"/api/cases/{quote_case['id']}/notes",
        json={"body": "La gérante hésite, relancer jeudi.", "shared": False})
    api(base, "POST", f"/api/cases/{quote_case['id']}/notes",
        json={"body": "Pensez à joindre vos références.", "shared": True})
    api(base, "POST", f"/api/cases/{quote_case['id']}/time",
        json={"spent_on": "2026-12-01", "hours": 3, "activity": "redaction"})
    member = login("member1").get(f"{stack}/dossiers/{quote_case['id']}")
    assert member.status_code == 200
    assert "Pensez à joindre vos références." in member.text
    assert "relancer jeudi" not in member.text
    # Not "3 h": a page opened at 13 h 02 contains it in its dates.
    assert 'id="temps"' not in member.text and "Heures d'accompagnement" not in member.text
    advisor = login("advisor").get(f"{stack}/dossiers/{quote_case['id']}").text
    assert "relancer jeudi" in advisor and "interne" in advisor
    assert 'id="temps"' in advisor and "Heures d'accompagnement" in advisor


def test_the_links_of_emails_are_answered_at_the_portail_s_address(stack, stack_urls, login,
                                                                  fresh_attempts):
    """The unsubscribe and calendar links notifications writes point at the portail, which
    answers them (people never reach notifications' own port)."""
    member = login("member1")
    structure = member.get(f"{stack}/structures/1").text
    calendar = re.search(r'<code class="url">([^<]+)</code>', structure).group(1)
    assert calendar.startswith(stack + "/calendrier/")
    feed = requests.get(calendar, timeout=10)
    assert feed.status_code == 200 and feed.headers["Content-Type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in feed.text
    from itsdangerous import URLSafeSerializer

    from notifications.tokens import UNSUBSCRIBE_SALT
    token = URLSafeSerializer(TEST_SECRET, salt=UNSUBSCRIBE_SALT).dumps(
        {"e": "proprete@test.example", "k": "dossiers"})
    confirm = requests.get(f"{stack}/desabonnement/{token}", timeout=10)
    assert confirm.status_code == 200 and "Se désabonner" in confirm.text
    done = requests.post(f"{stack}/desabonnement/{token}", timeout=10)  # one-click, no CSRF
    assert done.status_code == 200
    assert requests.get(f"{stack}/desabonnement/faux", timeout=10).status_code == 400
    assert requests.get(f"{stack}/calendrier/faux.ics", timeout=10).status_code == 404
