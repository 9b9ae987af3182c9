"""The advisors' workload page, over real HTTP against the real services: an advisor's open
cases by stage (each count leading to those cases), the soonest deadline, the hours booked to
them over the chosen period only, and the open cases nobody coaches; refused to members."""

from __future__ import annotations

import re
import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from centrale.testing import as_service as call
from portail.formatting import french_date

pytestmark = pytest.mark.integration
PARIS = ZoneInfo("Europe/Paris")


def test_the_workload_page_counts_each_advisor_s_cases_and_hours(stack, stack_urls, login,
                                                                  fresh_attempts):
    base = stack_urls["accompagnement"]
    inès = call(base, "POST", "/api/advisors", json={
        "name": "Inès Roux", "email": f"ines.roux.{uuid.uuid4().hex[:8]}@centrale.test"})
    deadline = (datetime.now(PARIS) + timedelta(days=20)).replace(microsecond=0)
    cases = [call(base, "POST", "/api/cases", json={
        "structure_id": 1, "title": f"Devis {n} pour la charge", "buyer_name": "Forézienne SAS",
        "deadline": (deadline + timedelta(days=n)).isoformat(), "advisor_id": inès["id"]})
        for n in range(3)]
    call(base, "POST", f"/api/cases/{cases[0]['id']}/stage", json={"stage": "drafting"})
    for spent_on, hours in (("2026-11-20", 2.5), ("2026-11-21", 1), ("2026-10-02", 4)):
        call(base, "POST", f"/api/cases/{cases[1]['id']}/time", json={
            "spent_on": spent_on, "hours": hours, "activity": "redaction",
            "advisor_id": inès["id"]})

    advisor = login("advisor")
    page = advisor.get(f"{stack}/conseillers", params={"start": "2026-11-01",
                                                       "end": "2026-11-30"})
    assert page.status_code == 200
    row = re.search(rf'<tr data-advisor="{inès["id"]}">.*?</tr>', page.text, re.S).group(0)
    cells = [re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
    headers = [re.sub(r"<[^>]+>", "", h).strip() for h in
               re.findall(r'<th scope="col">(.*?)</th>', page.text)]
    by_header = dict(zip(headers, cells))
    assert by_header["Conseiller·ère"] == "Inès Roux"
    assert by_header["Dossiers en cours"] == "3"
    assert by_header["Diagnostic"] == "Diagnostic : 2" and by_header["Rédaction"] == "Rédaction : 1"
    assert by_header["Heures sur la période"] == "3 h 30"  # October's 4 h are outside
    assert by_header["Prochaine échéance"] == french_date(deadline)  # the soonest of three
    assert f'/dossiers/liste?advisor={inès["id"]}&amp;stage=drafting' in row

    listed = advisor.get(f"{stack}/dossiers/liste", params={"advisor": inès["id"],
                                                           "stage": "drafting"}).text
    assert "Devis 0 pour la charge" in listed and "Devis 1 pour la charge" not in listed

    refused = advisor.get(f"{stack}/conseillers", params={"start": "2026-12-01",
                                                          "end": "2026-11-01"})
    assert "La fin de la période précède son début." in refused.text

    member = login("member1").get(f"{stack}/conseillers", allow_redirects=False)
    assert member.status_code in (403, 404)
