"""Impact figures over a period, as JSON and CSV, with hand-computed expected values.

The cases are walked through their stages by their workflows, then dated in 2025 (a period no
other test uses) as a history would have dated them.
"""

import pytest

pytestmark = pytest.mark.integration

PERIOD = "start=2025-01-01&end=2025-12-31"
WALK = ("drafting", "review", "submission", "awaiting_result")
ALL_CRITERIA = ("activity_fit", "capacity", "references", "time_left", "price_position",
                "reserved_eligibility", "partner_need")


def set_dates(db, case_id: int, **dates) -> None:
    """Date a case's milestones (noon in Paris on the given days)."""
    assignments = ", ".join(f"{column} = %({column})s::date + time '12:00'" for column in dates)
    with db.transaction() as conn:
        conn.execute(f"UPDATE cases SET {assignments} WHERE id = %(id)s", {**dates, "id": case_id})


@pytest.fixture
def history(client, db, worker, service_headers, new_structure, new_case):
    aci = new_structure(legal_name="Chantier d'insertion du Forez")
    esat = new_structure(legal_name="ESAT Les Ateliers du Velay", category="esat",
                         insertion_kind=None)
    scop = new_structure(legal_name="SCOP Entretien Solidaire", category="scop",
                         insertion_kind=None, legal_form="societe_cooperative")

    def case(structure, stages=(), outcome=None, amount=None):
        opened = new_case(structure)
        for stage in stages:
            assert client.post(f"/api/cases/{opened['id']}/stage", headers=service_headers,
                               json={"stage": stage}).status_code == 200
        if outcome:
            assert client.post(f"/api/cases/{opened['id']}/outcome", headers=service_headers,
                               json={"outcome": outcome, "amount": amount}).status_code == 200
        return opened["id"]

    def hours(case_id, day, spent):
        assert client.post(f"/api/cases/{case_id}/time", headers=service_headers, json={
            "spent_on": day, "hours": spent, "activity": "entretien"}).status_code == 201

    c1 = case(aci, WALK, "won", 45000.00)
    set_dates(db, c1, opened_at="2024-11-10", submitted_at="2025-01-15", decided_at="2025-03-01",
              consortium_formed_at="2024-12-01", closed_at="2025-03-01")
    c2 = case(aci, WALK, "lost")
    set_dates(db, c2, opened_at="2025-02-01", submitted_at="2025-03-10", decided_at="2025-05-02",
              closed_at="2025-05-02")
    c3 = case(esat, WALK, "won", 120000.50)
    set_dates(db, c3, opened_at="2025-04-01", submitted_at="2025-05-20", decided_at="2025-07-01",
              consortium_formed_at="2025-04-15", closed_at="2025-07-01")
    c4 = case(esat, ("drafting",))
    set_dates(db, c4, opened_at="2025-11-20")
    c5 = case(scop, ("abandoned",))  # closed before the period: not counted
    set_dates(db, c5, opened_at="2024-05-01", closed_at="2024-06-01")
    c6 = case(scop, ("abandoned",))
    set_dates(db, c6, opened_at="2025-06-01", closed_at="2025-06-20")
    c7 = case(scop)  # still at its diagnosis, done in June
    assert client.post(f"/api/cases/{c7}/diagnosis", headers=service_headers, json={
        "scores": {criterion: 4 for criterion in ALL_CRITERIA}}).status_code == 201
    set_dates(db, c7, opened_at="2025-06-01")
    with db.transaction() as conn:
        conn.execute("UPDATE diagnoses SET completed_at = '2025-06-10 12:00' WHERE case_id = %s",
                     (c7,))
    hours(c1, "2025-01-10", 2.5)
    hours(c1, "2024-12-01", 4)  # before the period
    hours(c2, "2025-02-03", 3)
    hours(c4, "2025-11-25", 1.5)
    return {"aci": aci, "esat": esat, "scop": scop}


def test_the_figures_of_2025_as_json_and_csv(client, service_headers, history):
    figures = client.get(f"/api/impact?{PERIOD}", headers=service_headers)
    assert figures.status_code == 200, figures.json
    body = figures.json
    by_month = body.pop("by_month")
    by_structure = {row["name"]: row for row in body.pop("by_structure")}
    assert body.pop("diagnoses") == 1 and body.pop("departements") == []
    forez = by_structure["Chantier d'insertion du Forez"]
    assert (forez["answers_submitted"], forez["won"], forez["amount_won"], forez["coaching_hours"],
            forez["helped"], forez["departement"]) == (2, 1, 45000.0, 5.5, True, "42")
    assert by_structure["SCOP Entretien Solidaire"]["diagnoses"] == 1
    assert sum(row["amount_won"] for row in by_structure.values()) == 165000.50
    assert len(by_month) == 12 and by_month[0]["month"] == "2025-01-01"
    assert sum(row["won"] for row in by_month) == body["won"]
    assert body == {
        "period": {"start": "2025-01-01", "end": "2025-12-31"},
        "structures_helped": {"total": 3, "by_category": {
            "association": 0, "insertion": 1, "ea": 0, "esat": 1, "scop": 1, "scic": 0,
            "esus": 0}},
        "cases_by_stage": {"diagnosis": 1, "drafting": 1, "review": 0, "submission": 0,
                           "awaiting_result": 0, "won": 2, "lost": 1, "abandoned": 1,
                           "missed": 0},
        "answers_submitted": 3,
        "won": 2,
        "lost": 1,
        "win_rate": 0.6667,
        "amount_won": 165000.50,
        "coaching_hours": 7,
        "consortia_formed": 1,
        "insertion_hours": 0,
    }

    exported = client.get(f"/api/impact.csv?{PERIOD}", headers=service_headers)
    assert exported.status_code == 200
    assert exported.mimetype == "text/csv"
    assert exported.headers["Content-Disposition"] == (
        'attachment; filename="impact_2025-01-01_2025-12-31.csv"')
    text = exported.data.decode("utf-8")
    assert text.startswith("\ufeff")  # so that spreadsheets read UTF-8
    lines = text.lstrip("\ufeff").split("\r\n")
    assert lines[:5] == ["indicateur;détail;valeur", "Période;début;2025-01-01",
                         "Période;fin;2025-12-31", "Territoire;départements;tous",
                         "Structures accompagnées;total;3"]
    assert "Structures accompagnées;Établissement et service d'aide par le travail (ESAT);1" \
        in lines
    assert "Dossiers par étape;Gagné;2" in lines
    assert lines[-10:] == ["Réponses déposées;;3", "Marchés gagnés;;2", "Marchés perdus;;1",
                           "Taux de réussite;%;66,7", "Montants gagnés;euros HT;165000,50",
                           "Heures d'accompagnement;heures;7,00", "Groupements constitués;;1",
                           "Diagnostics réalisés;;1", "Heures d'insertion;heures;0,00", ""]


def test_a_territory_keeps_its_structures_only(client, db, service_headers, history):
    """The ESAT moves to Haute-Loire: Loire's figures lose it, Haute-Loire's hold it alone."""
    with db.transaction() as conn:
        conn.execute("UPDATE structures SET departement = '43' WHERE id = %s",
                     (history["esat"]["id"],))
    loire = client.get(f"/api/impact?{PERIOD}&departement=42", headers=service_headers).json
    velay = client.get(f"/api/impact?{PERIOD}&departement=43", headers=service_headers).json
    both = client.get(f"/api/impact?{PERIOD}&departement=43&departement=42",
                      headers=service_headers).json
    assert (loire["departements"], velay["departements"], both["departements"]) == (
        ["42"], ["43"], ["42", "43"])
    esat = history["esat"]["id"]
    assert esat in {row["structure_id"] for row in velay["by_structure"]}
    assert esat not in {row["structure_id"] for row in loire["by_structure"]}
    assert all(row["departement"] == "43" for row in velay["by_structure"])
    assert all(row["departement"] == "42" for row in loire["by_structure"])
    assert len(both["by_structure"]) == len(loire["by_structure"]) + len(velay["by_structure"])
    for figure in ("won", "amount_won", "answers_submitted", "coaching_hours", "diagnoses"):
        assert loire[figure] + velay[figure] == both[figure], figure
    unknown = client.get(f"/api/impact?{PERIOD}&departement=99", headers=service_headers)
    assert unknown.status_code == 422
    assert "departement" in unknown.json["errors"]["query"]


def test_the_period_is_validated_and_reserved_to_staff(client, service_headers, make_headers):
    reversed_period = client.get("/api/impact?start=2025-12-31&end=2025-01-01",
                                 headers=service_headers)
    assert reversed_period.status_code == 422
    assert reversed_period.json["errors"]["query"] == {
        "end": ["La fin de la période précède son début."]}
    assert set(client.get("/api/impact", headers=service_headers).json["errors"]["query"]) == {
        "start", "end"}
    assert client.get(f"/api/impact?{PERIOD}",
                      headers=make_headers("membre", structure_id=1)).status_code == 403
