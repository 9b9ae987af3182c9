"""The funders' report over the real services: known data built through their APIs (dates then
moved into 2021, a year no other test uses, as time would have moved them), the report of
2021 in Haute-Loire (43) read as the advisors' page, its CSV and its PDF, and the public page;
every figure checked against a count made in the services' databases by this test — some of
the data lies outside the period (2020) or the territory (Loire) and must not count.

The public page shows a figure only when at least 3 structures of the territory contribute to
it (and, for an amount, none holds more than 85 % of it): that too is decided from the
databases here."""

from __future__ import annotations

import csv
import io
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
import requests

from centrale import french
from centrale.auth import issue_token
from centrale.db import Database
from centrale.testing import TEST_SECRET, as_service, prepared_settings, wait_until
from centrale.testing.clock import paris_at

pytestmark = pytest.mark.integration

PERIOD = {"start": "2021-01-01", "end": "2021-12-31"}
TERRITORY = "43"
ALL_CRITERIA = ("activity_fit", "capacity", "references", "time_left", "price_position",
                "reserved_eligibility", "partner_need")
WALK = ("drafting", "review", "submission", "awaiting_result")
NAMES = {"A": "Atelier Velay Propreté", "B": "Jardins du Puy-en-Velay",
         "C": "Régie de quartier de Brioude", "D": "Forez Services Solidaires"}


def database(service: str) -> Database:
    return Database.from_settings(prepared_settings(service)).open()


@contextmanager
def read_from(service: str):
    """One transaction on a service's test database, its pool closed afterwards."""
    db = database(service)
    try:
        with db.transaction() as conn:
            yield conn
    finally:
        db.close()


def token_headers(subject: str, role: str, structure_id=None, email=None) -> dict:
    token = issue_token(TEST_SECRET, "tests", subject, role, structure_id=structure_id,
                        email=email)
    return {"Authorization": f"Bearer {token}"}


def siret(number: int) -> str:
    """A Luhn-valid SIRET of this test only (SIREN 97xxxxxx, first establishment)."""
    from stdnum import luhn

    base = f"97{number:06d}"
    head = base + luhn.calc_check_digit(base) + "0001"
    return head + luhn.calc_check_digit(head)


def structure(urls, key: str, postal_code: str, number: int) -> int:
    body = {"legal_name": NAMES[key], "siret": siret(number), "legal_form": "association",
            "category": "insertion", "insertion_kind": "aci",
            "address": {"street": "1 place du Marché", "postal_code": postal_code,
                        "city": "Le Puy-en-Velay" if postal_code == "43000" else "Montbrison"},
            "activities": ["9091", "77310000"]}
    return as_service(urls["accompagnement"], "POST", "/api/structures", json=body)["id"]


def case(urls, db, structure_id: int, *, diagnosed=None, outcome=None, amount=None, opened,
         submitted=None, decided=None, hours=()):
    opened_case = as_service(urls["accompagnement"], "POST", "/api/cases", json={
        "structure_id": structure_id, "title": "Entretien des locaux d'une entreprise",
        "buyer_name": "Entreprise du Velay", "deadline": paris_at(60).isoformat()})
    case_id = opened_case["id"]
    if diagnosed:
        as_service(urls["accompagnement"], "POST", f"/api/cases/{case_id}/diagnosis",
                   json={"scores": {criterion: 4 for criterion in ALL_CRITERIA}})
    if outcome:
        for stage in WALK:
            as_service(urls["accompagnement"], "POST", f"/api/cases/{case_id}/stage",
                       json={"stage": stage})
        as_service(urls["accompagnement"], "POST", f"/api/cases/{case_id}/outcome",
                   json={"outcome": outcome, "amount": amount})
    for day, spent in hours:
        as_service(urls["accompagnement"], "POST", f"/api/cases/{case_id}/time",
                   json={"spent_on": day, "hours": spent, "activity": "entretien"})
    dates = {"opened_at": opened, "submitted_at": submitted, "decided_at": decided,
             "closed_at": decided}
    with db.transaction() as conn:
        for column, day in dates.items():
            if day:
                conn.execute(f"UPDATE cases SET {column} = %s::date + time '12:00'"
                             " WHERE id = %s", (day, case_id))
        if diagnosed:
            conn.execute("UPDATE diagnoses SET completed_at = %s::date + time '12:00'"
                         " WHERE case_id = %s", (diagnosed, case_id))
    return case_id


def need(urls, veille, departement: str, answers: dict[int, Decimal | None], posted: str,
         decided: str) -> int:
    """A need posted, validated, answered by ``answers``' structures and decided: chosen
    with their amount, or not chosen (None)."""
    buyer = token_headers("user:9001", "acheteur", email="achats@velay.example")
    created = requests.post(f"{urls['veille']}/api/needs", headers=buyer, timeout=30, json={
        "buyer_name": "Communauté d'agglomération du Puy", "buyer_siret": "21420207000018",
        "buyer_kind": "public", "buyer_contact": "Claire Achat",
        "object": "Entretien des espaces verts", "description": "Tonte et taille des haies.",
        "cpv_codes": ["77310000"], "departement": departement, "place": "Le Puy-en-Velay",
        "lots": [], "budget_band": "4k-40k", "reservation": "none", "social_clause": False,
        "deadline": paris_at(30).isoformat()})
    assert created.status_code == 201, created.text
    need_id = created.json()["id"]
    advisor = token_headers("user:1", "conseiller")
    assert requests.post(f"{urls['veille']}/api/needs/{need_id}/review", headers=advisor,
                         json={"decision": "validate"}, timeout=30).status_code == 200
    for structure_id in answers:
        member = token_headers(f"user:{8000 + structure_id}", "membre", structure_id,
                               f"contact{structure_id}@velay.example")
        answered = requests.post(f"{urls['veille']}/api/needs/{need_id}/answers",
                                 headers=member, data={"message": "Nous sommes intéressés."},
                                 timeout=30)
        assert answered.status_code == 201, answered.text
    decided_answer = requests.post(
        f"{urls['veille']}/api/needs/{need_id}/outcome", headers=buyer, timeout=30,
        json={"chosen": [{"structure_id": sid, "amount": float(amount)}
                         for sid, amount in answers.items() if amount is not None]})
    assert decided_answer.status_code == 200, decided_answer.text
    with veille.transaction() as conn:
        conn.execute("UPDATE needs SET created_at = %s::date + time '10:00' WHERE id = %s",
                     (posted, need_id))
        conn.execute("UPDATE need_answers SET created_at = %s::date + time '11:00',"
                     " decided_at = %s::date + time '12:00' WHERE need_id = %s",
                     (posted, decided, need_id))
    return need_id


def training(urls, formation, people: list[tuple[int, bool, int | None]], day: str) -> None:
    """A 7-hour session held on ``day``: each (structure, present, survey score)."""
    from formation.sessions import schedule_session

    start = paris_at(25)
    with formation.transaction() as conn:
        session = schedule_session(conn, {
            "module_code": "memoire-technique", "starts_at": start,
            "ends_at": start + timedelta(hours=7), "place": "Maison de l'ESS, Le Puy",
            "trainer": "Julien Roche", "capacity": 10})
    ids = [as_service(urls["formation"], "POST", f"/api/sessions/{session['id']}/registrations",
                      json={"name": f"Personne {i}", "email": f"p{i}.{session['id']}@velay.org",
                            "structure_id": sid})["id"]
           for i, (sid, _present, _score) in enumerate(people)]
    with formation.transaction() as conn:
        conn.execute("UPDATE sessions SET starts_at = %s::date + time '09:00',"
                     " ends_at = %s::date + time '16:00', status = 'held' WHERE id = %s",
                     (day, day, session["id"]))
    as_service(urls["formation"], "POST", f"/api/sessions/{session['id']}/attendance", json={
        "attendance": [{"registration_id": rid, "attended": present}
                       for rid, (_sid, present, _score) in zip(ids, people)]})
    for rid, (_sid, present, score) in zip(ids, people):
        if score is not None:
            as_service(urls["formation"], "POST", f"/api/registrations/{rid}/survey",
                       json={"score": score})


def clause_hours(urls, tender_id: int, winner: str, siret: str | None,
                 months: dict[str, float]) -> None:
    facilitator = token_headers("user:7001", "facilitateur", email="clauses@mde.example")
    followed = requests.post(f"{urls['accompagnement']}/api/clause-contracts",
                             headers=facilitator, timeout=30, json={
                                 "tender_id": tender_id, "title": "Marché avec clause",
                                 "winner_name": winner, "winner_siret": siret})
    assert followed.status_code == 201, followed.text
    for month, hours in months.items():
        entered = requests.put(
            f"{urls['accompagnement']}/api/clause-contracts/{followed.json()['id']}/hours",
            headers=facilitator, json={"month": month, "hours": hours}, timeout=30)
        assert entered.status_code == 200, entered.text


@pytest.fixture(scope="module")
def known_data(stack, stack_urls):
    urls = stack_urls
    accompagnement, veille, formation = (database(name) for name in
                                         ("accompagnement", "veille", "formation"))
    ids = {"A": structure(urls, "A", "43000", 1), "B": structure(urls, "B", "43000", 2),
           "C": structure(urls, "C", "43000", 3), "D": structure(urls, "D", "42600", 4)}
    a, b, c, d = (ids[k] for k in "ABCD")
    case(urls, accompagnement, a, diagnosed="2021-02-15", outcome="won", amount=30000,
         opened="2021-02-01", submitted="2021-03-01", decided="2021-04-10",
         hours=[("2021-02-01", 3), ("2020-12-20", 2)])
    case(urls, accompagnement, b, diagnosed="2021-05-01", outcome="won", amount=12000.50,
         opened="2021-04-20", submitted="2021-05-02", decided="2021-06-20")
    case(urls, accompagnement, c, diagnosed="2021-06-01", outcome="lost", opened="2021-05-25",
         submitted="2021-07-01", decided="2021-08-01", hours=[("2021-07-02", 1.5)])
    # Outside the period: won in 2020.
    case(urls, accompagnement, a, outcome="won", amount=99999, opened="2020-09-01",
         submitted="2020-10-01", decided="2020-11-01")
    # Outside the territory: Loire.
    case(urls, accompagnement, d, diagnosed="2021-03-03", outcome="won", amount=50000,
         opened="2021-03-01", submitted="2021-03-20", decided="2021-05-05",
         hours=[("2021-03-02", 4)])
    # Veille learns the structures from accompagnement's events (a member answers as one).
    def veille_knows_them() -> bool:
        with veille.transaction() as conn:
            return conn.execute("SELECT count(*) AS n FROM structures WHERE id = ANY(%s)",
                                (list(ids.values()),)).fetchone()["n"] == 4

    wait_until(veille_knows_them, timeout=60, message="veille never heard of the structures")
    need(urls, veille, "43", {a: Decimal("8000"), b: None, d: Decimal("5000")},
         "2021-03-10", "2021-09-15")
    need(urls, veille, "42", {c: Decimal("2500")}, "2021-04-02", "2021-10-01")
    need(urls, veille, "43", {b: Decimal("7000")}, "2020-05-02", "2020-06-01")  # 2020
    training(urls, formation, [(a, True, 5), (b, True, 4), (c, False, None), (d, True, 1)],
             "2021-10-05")
    training(urls, formation, [(a, True, 2)], "2020-10-05")  # 2020
    # Insertion hours on contracts with a clause, by the départements of their tender.
    with accompagnement.transaction() as conn:
        velay = [r["id"] for r in conn.execute(
            "SELECT id FROM tenders WHERE departments = ARRAY['43'] ORDER BY id LIMIT 3")]
        forez = conn.execute("SELECT id FROM tenders WHERE departments = ARRAY['42']"
                             " ORDER BY id LIMIT 1").fetchone()["id"]
        assert len(velay) == 3
        sirets = {r["id"]: r["siret"] for r in conn.execute("SELECT id, siret FROM structures")}
    clause_hours(urls, velay[0], "Atelier Velay Propreté", sirets[a],
                 {"2021-03-01": 120, "2021-04-01": 80.5, "2020-12-01": 60})
    clause_hours(urls, velay[1], "Bâtiment Ponot SAS", None, {"2021-05-01": 300})  # not a structure
    clause_hours(urls, velay[2], "Jardins du Puy-en-Velay", sirets[b], {"2021-06-01": 40})
    clause_hours(urls, forez, "Atelier Velay Propreté", sirets[a], {"2021-03-01": 500})  # Loire
    yield ids
    for db in (accompagnement, veille, formation):
        db.close()


def counted(start: str = PERIOD["start"], end: str = PERIOD["end"],
            departement: str = TERRITORY) -> dict[str, tuple[Decimal, list[Decimal]]]:
    """Every figure of the report of a period in a département (2021 in Haute-Loire unless
    told), counted in the databases: (value, what each contributing structure adds)."""
    figures: dict[str, tuple[Decimal, list[Decimal]]] = {}
    with read_from("accompagnement") as conn:
        territory = [r["id"] for r in conn.execute(
            "SELECT id FROM structures WHERE departement = %s", (departement,))]

        def per_structure(sql: str) -> list[Decimal]:
            return [Decimal(r["v"]) for r in conn.execute(
                sql + " GROUP BY c.structure_id",
                {"start": start, "end": end, "ids": territory})]

        in_territory = " c.structure_id = ANY(%(ids)s)"
        helped = conn.execute(
            "SELECT count(DISTINCT structure_id) AS n FROM (SELECT structure_id FROM cases c"
            " WHERE c.opened_at::date <= %(end)s AND (c.closed_at IS NULL OR"
            " c.closed_at::date >= %(start)s) AND" + in_territory +
            " UNION SELECT c.structure_id FROM case_time_entries t JOIN cases c ON c.id ="
            " t.case_id WHERE t.spent_on BETWEEN %(start)s AND %(end)s AND" + in_territory +
            ") helped", {"start": start, "end": end, "ids": territory}).fetchone()["n"]
        figures["structures_helped"] = (Decimal(helped), [])
        figures["diagnoses"] = per_structure(
            "SELECT count(DISTINCT d.case_id) AS v FROM diagnoses d JOIN cases c ON c.id ="
            " d.case_id WHERE d.completed_at::date BETWEEN %(start)s AND %(end)s AND"
            + in_territory)
        figures["answers_submitted"] = per_structure(
            "SELECT count(*) AS v FROM cases c WHERE c.submitted_at::date BETWEEN %(start)s"
            " AND %(end)s AND" + in_territory)
        figures["coaching_hours"] = per_structure(
            "SELECT sum(t.hours) AS v FROM case_time_entries t JOIN cases c ON c.id = t.case_id"
            " WHERE t.spent_on BETWEEN %(start)s AND %(end)s AND" + in_territory)
        won_cases = {r["structure_id"]: (Decimal(r["n"]), Decimal(r["amount"])) for r in
                     conn.execute(
            "SELECT c.structure_id, count(*) AS n, sum(c.outcome_amount) AS amount FROM cases c"
            " WHERE c.stage = 'won' AND c.decided_at::date BETWEEN %(start)s AND %(end)s AND"
            + in_territory + " GROUP BY c.structure_id",
            {"start": start, "end": end, "ids": territory})}
        insertion = conn.execute(
            "SELECT s.id AS structure_id, sum(h.hours) AS hours FROM clause_hours h"
            " JOIN clause_contracts k ON k.id = h.contract_id JOIN tenders t ON t.id = k.tender_id"
            " LEFT JOIN structures s ON s.siret = k.winner_siret AND s.id = ANY(%(ids)s)"
            " WHERE t.departments && ARRAY[%(dep)s]::text[]"
            " AND h.month BETWEEN %(start)s AND %(end)s GROUP BY s.id",
            {"start": start, "end": end, "ids": territory, "dep": departement}).fetchall()
        # the structures' hours one by one, the other winners' as one part
        figures["insertion_hours"] = [Decimal(r["hours"]) for r in insertion]
    with read_from("veille") as conn:
        period = {"start": start, "end": end, "ids": territory, "dep": departement}
        day = "(%s AT TIME ZONE 'Europe/Paris')::date BETWEEN %%(start)s AND %%(end)s"
        figures["needs_posted"] = (Decimal(conn.execute(
            "SELECT count(*) AS n FROM needs WHERE departement = %(dep)s AND "
            + day % "created_at", period).fetchone()["n"]), [])
        figures["need_answers"] = [Decimal(r["v"]) for r in conn.execute(
            "SELECT count(*) AS v FROM need_answers WHERE structure_id = ANY(%(ids)s) AND "
            + day % "created_at" + " GROUP BY structure_id", period)]
        won_needs = {r["structure_id"]: (Decimal(r["n"]), Decimal(r["amount"])) for r in
                     conn.execute(
            "SELECT structure_id, count(*) AS n, sum(amount) AS amount FROM need_answers"
            " WHERE outcome = 'chosen' AND structure_id = ANY(%(ids)s) AND "
            + day % "decided_at" + " GROUP BY structure_id", period)}
    with read_from("formation") as conn:
        rows = conn.execute(
            "SELECT r.structure_id, count(*) FILTER (WHERE r.attended) AS present,"
            " count(*) FILTER (WHERE r.attended IS NOT NULL) AS recorded,"
            " sum(coalesce(r.attended_hours, m.duration_h)) FILTER (WHERE r.attended) AS hours,"
            " count(r.survey_score) AS answers, coalesce(sum(r.survey_score), 0) AS points"
            " FROM registrations r JOIN sessions s ON s.id = r.session_id"
            " JOIN modules m ON m.code = s.module_code WHERE r.status = 'confirmed'"
            " AND s.status <> 'cancelled' AND r.structure_id = ANY(%(ids)s)"
            # formation's definition: hours delivered by the sessions that are over
            " AND (s.status = 'held' OR s.ends_at <= now())"
            " AND (s.starts_at AT TIME ZONE 'Europe/Paris')::date BETWEEN %(start)s AND %(end)s"
            " GROUP BY r.structure_id", {"start": start, "end": end, "ids": territory}).fetchall()
    figures["won_cases"] = [n for n, _ in won_cases.values()]
    figures["amount_cases"] = [amount for _, amount in won_cases.values()]
    figures["won_needs"] = [n for n, _ in won_needs.values()]
    figures["amount_needs"] = [amount for _, amount in won_needs.values()]
    winners = set(won_cases) | set(won_needs)
    figures["won_total"] = [won_cases.get(s, (0, 0))[0] + won_needs.get(s, (0, 0))[0]
                            for s in winners]
    figures["amount_total"] = [won_cases.get(s, (0, 0))[1] + won_needs.get(s, (0, 0))[1]
                               for s in winners]
    figures["training_hours"] = [Decimal(r["hours"] or 0) for r in rows if r["hours"]]
    figures["people_trained"] = [Decimal(r["present"]) for r in rows if r["present"]]
    present, recorded = sum(r["present"] for r in rows), sum(r["recorded"] for r in rows)
    answers, points = sum(r["answers"] for r in rows), sum(r["points"] for r in rows)
    figures["attendance_rate"] = (Decimal(present) / recorded if recorded else None,
                                  [Decimal(r["recorded"]) for r in rows if r["recorded"]])
    figures["satisfaction"] = (Decimal(points) / answers if answers else None,
                               [Decimal(r["answers"]) for r in rows if r["answers"]])
    return {key: value if isinstance(value, tuple) else (sum(value, Decimal(0)), value)
            for key, value in figures.items()}


def published(value: Decimal | None, parts: list[Decimal], key: str) -> bool:
    """The small-count rule, decided from the databases' counts."""
    if key in ("structures_helped", "needs_posted") or not value:
        return True
    if len([p for p in parts if p]) < 3:
        return False
    return not (key.startswith("amount") and max(parts) > Decimal("0.85") * sum(parts))


def spreadsheet(value: Decimal | None, key: str) -> str:
    if value is None:
        return ""
    if key == "attendance_rate":
        return french.decimal_comma(value * 100, 1)
    return french.decimal_comma(value, 2)


def shown(value: Decimal | None, key: str) -> str:
    """How the page and the PDF write it (centrale.french)."""
    if value is None:
        return "—"
    if key.startswith("amount"):
        return french.euros(value)
    if key.endswith("hours"):
        return french.hours(value)
    if key == "satisfaction":
        return f"{french.decimal_comma(value, 1)} / 5"
    if key == "attendance_rate":
        return f"{french.decimal_comma(value * 100, 0)} %"
    return french.whole_number(int(value))


def figures_on(html: str) -> dict[str, str]:
    import re

    return {key: re.sub(r"\s*<small>.*", "", text, flags=re.S).strip()
            for key, text in re.findall(r'<dd data-figure="([a-z_]+)">(.*?)</dd>', html, re.S)}


def test_every_figure_of_the_report_is_the_databases_count(stack, login, known_data):
    expected = counted()
    # The data meant to be left out is there, and would change the figures if it counted.
    assert expected["won_cases"][0] == 2 and expected["amount_cases"][0] == Decimal("42000.50")
    assert expected["insertion_hours"][0] == Decimal("540.50")
    page, text, public, rows = the_report_is_the_databases_count(
        stack, login("advisor"), {**PERIOD, "departements": TERRITORY}, expected)
    for key in ("A", "B", "C"):
        assert NAMES[key] in page and NAMES[key] in text
    assert NAMES["D"] not in page and NAMES["D"] not in text  # Loire: another territory
    assert "Territoire : 43 Haute-Loire." in text
    assert {row[0] for row in rows if len(row) > 4} >= {NAMES[k] for k in "ABC"}
    for name in NAMES.values():
        assert name not in public


def test_the_report_of_the_demo_data_is_the_databases_count(stack, login, demo_data):
    """The demo's territory at work (accompagnement's and formation's demo data, veille's
    demo notices) this past year in each of its départements, as a newcomer's make up
    shows it."""
    today = paris_at(0, 12).date()
    period = {"start": (today - timedelta(days=365)).isoformat(), "end": today.isoformat()}
    advisor, won, insertion = login("advisor"), Decimal(0), Decimal(0)
    for departement in ("42", "43"):  # the demo's Loire Sud: Loire and Haute-Loire
        expected = counted(period["start"], period["end"], departement)
        assert expected["structures_helped"][0] >= 1, departement
        won += expected["won_total"][0]
        insertion += expected["insertion_hours"][0]
        the_report_is_the_databases_count(stack, advisor,
                                          {**period, "departements": departement}, expected)
    assert won >= 1  # the demo's win in a groupement
    assert insertion >= 1  # the facilitator's contracts with a clause, in Loire


def the_report_is_the_databases_count(stack, advisor, query, expected):
    """The advisors' page, its CSV, its PDF and the public page say the figures ``expected``
    (the public one withholding what the small-count rule withholds); returns the page's
    HTML, the PDF's text, the public page's HTML and the CSV's rows."""
    page = advisor.get(f"{stack}/impact", params=query)
    assert page.status_code == 200
    on_page = figures_on(page.text)
    for key, (value, _parts) in expected.items():
        assert on_page[key] == shown(value, key), key

    exported = advisor.get(f"{stack}/impact.csv", params=query)
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    labels = {row[1]: row[3] for row in rows if len(row) == 4}
    for key, (value, _parts) in expected.items():
        label = next(f for f in LABELS if LABELS[f] == key)
        assert labels[label] == spreadsheet(value, key), key
    assert ["Rapport", "Territoire", "départements", query["departements"]] in rows
    monthly_insertion = [Decimal(row[3].replace(",", ".")) for row in rows
                         if row[:2] == ["Par mois", "Heures d'insertion"]]
    assert sum(monthly_insertion) == expected["insertion_hours"][0]

    pdf = advisor.get(f"{stack}/impact.pdf", params=query)
    assert pdf.status_code == 200 and pdf.headers["Content-Type"] == "application/pdf"
    assert "attachment" in pdf.headers["Content-Disposition"]
    reader = pypdf.PdfReader(io.BytesIO(pdf.content))
    text = "\n".join(p.extract_text() for p in reader.pages)
    lines = text.splitlines()
    for key, (value, _parts) in expected.items():
        label = next(f for f in LABELS if LABELS[f] == key)
        assert any(line.startswith(label) and shown(value, key) in line for line in lines), (
            key, shown(value, key))

    public = requests.get(f"{stack}/rapport-d-impact", params=query, timeout=30)
    assert public.status_code == 200
    on_public = figures_on(public.text)
    for key, (value, parts) in expected.items():
        if published(value, parts, key):
            assert on_public[key] == shown(value, key), key
        else:
            assert on_public[key] == "—", key
            assert "non publié" in public.text
    assert "Par structure" not in public.text
    return page.text, text, public.text, rows


LABELS = {
    "Structures accompagnées": "structures_helped", "Diagnostics réalisés": "diagnoses",
    "Réponses déposées (dossiers accompagnés)": "answers_submitted",
    "Heures d'accompagnement": "coaching_hours",
    "Marchés gagnés sur appels d'offres": "won_cases",
    "Montants gagnés sur appels d'offres": "amount_cases",
    "Besoins déposés par des acheteurs": "needs_posted",
    "Réponses aux besoins d'acheteurs": "need_answers",
    "Marchés obtenus sur besoins d'acheteurs": "won_needs",
    "Montants obtenus sur besoins d'acheteurs": "amount_needs",
    "Marchés gagnés, en tout": "won_total", "Montants gagnés, en tout": "amount_total",
    "Heures de formation (heures stagiaires)": "training_hours",
    "Personnes formées (présentes)": "people_trained", "Taux de présence": "attendance_rate",
    "Satisfaction des formations": "satisfaction",
    "Heures d'insertion réalisées": "insertion_hours",
}


def test_members_and_buyers_are_refused_the_report(stack, login):
    for who in ("member1", "buyer1"):
        person = login(who)
        for path in ("/impact", "/impact.pdf", "/impact.csv"):
            answer = person.get(f"{stack}{path}", params=PERIOD, allow_redirects=False)
            assert answer.status_code == 403, (who, path)


def test_a_territory_that_is_not_one_is_refused_in_french(stack, login):
    advisor = login("advisor")
    page = advisor.get(f"{stack}/impact", params={**PERIOD, "departements": "99"})
    assert page.status_code == 200 and "Département inconnu" in page.text
    public = requests.get(f"{stack}/rapport-d-impact", timeout=30,
                          params={**PERIOD, "departements": "<script>"})
    assert public.status_code == 200 and "<script>" not in public.text


def test_browser_the_advisor_reads_the_report_and_downloads_its_pdf_the_public_no_names(
        stack, known_data, page, browser_login, fresh_attempts, screenshot, reads_well):
    expected = counted()
    browser_login(page, "advisor")
    page.get_by_role("link", name="Impact", exact=True).click()
    page.get_by_label("Du", exact=True).fill(PERIOD["start"])
    page.get_by_label("Au", exact=True).fill(PERIOD["end"])
    page.get_by_label("Départements (vide : tous)").fill("43")
    with page.expect_navigation():  # not to read the page being left
        page.get_by_role("button", name="Afficher").click()
    page.wait_for_function("window.impactCharts && Object.keys(window.impactCharts).length == 5")
    assert page.locator("#impact-scope").inner_text().endswith("territoire : 43 Haute-Loire.")
    assert page.locator('[data-figure="amount_total"]').inner_text().startswith(
        shown(expected["amount_total"][0], "amount_total"))
    table = page.locator("#par-structure")
    for key in "ABC":
        assert table.get_by_role("link", name=NAMES[key]).is_visible()
    assert page.get_by_text(NAMES["D"]).count() == 0
    drawn = page.evaluate("Object.values(window.impactCharts).map(c => c.data.datasets"
                          ".map(d => d.data.reduce((a, b) => a + b, 0)))")
    assert drawn[2] == [float(expected["won_total"][0])]  # contracts won, by origin
    assert page.locator("canvas").count() == 5
    screenshot(page, "impact-rapport-conseiller")
    assert reads_well(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger le PDF").click()
    saved = Path(__file__).resolve().parents[3] / "test-artifacts" / "impact-rapport.pdf"
    download.value.save_as(saved)  # beside the screenshots, for a person to look at
    text = "\n".join(p.extract_text() for p in pypdf.PdfReader(saved).pages)
    assert "Rapport d'impact pour les financeurs" in text
    assert shown(expected["amount_total"][0], "amount_total") in text
    assert NAMES["A"] in text

    page.context.clear_cookies()
    page.goto(f"{stack}/")
    page.get_by_role("link", name="Rapport d'impact").click()
    page.get_by_label("Du", exact=True).fill(PERIOD["start"])
    page.get_by_label("Au", exact=True).fill(PERIOD["end"])
    page.get_by_label("Départements (vide : tous)").fill("43")
    with page.expect_navigation():  # not to read the page being left
        page.get_by_role("button", name="Afficher").click()
    page.wait_for_load_state("load")
    # A chart one of whose bars is withheld is not drawn (a bar at 0 would say « none »).
    assert page.locator("canvas").count() == page.evaluate(
        "Object.keys(window.impactCharts || {}).length")
    assert "chart-amounts_by_month" not in page.content()
    content = page.content()
    for name in NAMES.values():
        assert name not in content
    assert page.get_by_text("non publié").count() >= 1
    assert page.get_by_role("link", name="Télécharger le PDF").count() == 0
    assert page.locator('[data-figure="answers_submitted"]').inner_text() == shown(
        expected["answers_submitted"][0], "answers_submitted")
    screenshot(page, "impact-rapport-public")
    assert reads_well(page) == []

    # Without a territory, more structures contribute: the monthly chart is drawn.
    page.get_by_label("Départements (vide : tous)").fill("")
    with page.expect_navigation():  # not to read the page being left
        page.get_by_role("button", name="Afficher").click()
    page.wait_for_function("window.impactCharts && window.impactCharts.answers_by_month")
    assert page.locator("#impact-scope").inner_text().endswith(
        "territoire : toutes les structures accompagnées.")
    for name in NAMES.values():
        assert name not in page.content()
    screenshot(page, "impact-rapport-public-tout")
    assert reads_well(page) == []
