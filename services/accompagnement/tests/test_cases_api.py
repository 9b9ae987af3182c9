"""Opening cases (a tender or a private request for a quote), advisors and their workload,
notes and coaching hours, the outcome — on the real Temporal dev server."""

from datetime import datetime, timedelta

import pytest

from centrale.testing import outbox_events, wait_until
from centrale.testing.clock import paris_at, same_time_days_before

from .conftest import PARIS

pytestmark = pytest.mark.integration


def test_a_tender_case_takes_its_deadline_and_buyer_from_the_mirror(
        client, worker, service_headers, new_structure, publish_tender, new_advisor):
    structure, advisor = new_structure(), new_advisor("Claire Martin")
    deadline = paris_at(50, 12)  # its reminders, J-10 and J-3, still ahead
    tender = publish_tender(deadline=deadline)
    opened = client.post("/api/cases", headers=service_headers, json={
        "structure_id": structure["id"], "tender_id": tender["tender_id"], "lot_numbers": ["2"],
        "advisor_id": advisor["id"], "reminder_days": [10, 3]})
    assert opened.status_code == 201, opened.json
    case = opened.json
    assert case["title"] == tender["title"]
    assert case["kind"] == "tender"
    assert case["buyer_name"] == "Ville de Saint-Chamond"
    assert case["deadline"] == deadline.isoformat()
    assert case["advisor"] == {"id": advisor["id"], "name": "Claire Martin",
                               "email": advisor["email"]}
    state = client.get(f"/api/cases/{case['id']}/state", headers=service_headers).json
    assert state["deadline"] == deadline.isoformat()
    assert [(r["days_before"], r["at"]) for r in state["next_reminders"]] == [
        (days, same_time_days_before(deadline, days).isoformat()) for days in (10, 3)]


def test_a_private_request_for_a_quote_has_its_buyer_and_deadline_given_by_hand(
        client, db, worker, service_headers, new_structure):
    structure = new_structure()
    deadline = (datetime.now(PARIS) + timedelta(days=20)).replace(hour=18, minute=0, second=0,
                                                                  microsecond=0)
    opened = client.post("/api/cases", headers=service_headers, json={
        "structure_id": structure["id"], "buyer_name": "Clinique mutualiste de la Loire",
        "title": "Devis : entretien des vitres du bâtiment B", "deadline": deadline.isoformat()})
    assert opened.status_code == 201, opened.json
    case = opened.json
    assert (case["kind"], case["buyer_name"], case["tender_id"]) == (
        "private_quote", "Clinique mutualiste de la Loire", None)
    [event] = [e["data"] for e in outbox_events(db, "case.opened")
               if e["data"]["case_id"] == case["id"]]
    assert event["deadline"] == deadline.isoformat()
    later = deadline + timedelta(days=7)
    moved = client.patch(f"/api/cases/{case['id']}", headers=service_headers,
                         json={"deadline": later.isoformat()})
    assert moved.status_code == 200
    assert moved.json["deadline"] == later.isoformat()
    wait_until(lambda: client.get(f"/api/cases/{case['id']}/state", headers=service_headers)
               .json["deadline"] == later.isoformat(), timeout=10)


@pytest.mark.parametrize(("payload", "errors"), [
    ({"title": "Sans acheteur"}, {
        "buyer_name": ["Sans consultation (tender_id), une demande de devis précise le nom de "
                       "l'acheteur."],
        "deadline": ["Sans consultation (tender_id), une demande de devis précise la date "
                     "limite."]}),
    ({"tender_id": 1, "deadline": "2027-02-01T12:00:00+01:00"},
     {"deadline": ["La date limite d'une consultation vient de la veille."]}),
    ({"buyer_name": "SARL Dupont", "title": "Devis", "deadline": "2027-02-01T12:00:00"},
     {"deadline": ["Le fuseau horaire doit être précisé."]}),
])
def test_opening_a_case_validates_its_input(client, service_headers, new_structure, payload,
                                            errors):
    structure = new_structure()
    refused = client.post("/api/cases", headers=service_headers,
                          json={"structure_id": structure["id"], **payload})
    assert refused.status_code == 422
    assert refused.json["errors"]["json"] == errors


def test_a_case_needs_a_registered_structure_and_a_mirrored_tender(client, service_headers,
                                                                   publish_tender):
    tender = publish_tender()
    refused = client.post("/api/cases", headers=service_headers, json={
        "structure_id": 999999, "tender_id": 888888})
    assert refused.status_code == 422
    assert refused.json["errors"]["json"] == {
        "structure_id": ["Structure 999999 inconnue du registre."],
        "tender_id": ["Consultation 888888 inconnue (pas encore reçue de la veille)."]}
    lots = client.post("/api/cases", headers=service_headers, json={
        "structure_id": 999999, "tender_id": tender["tender_id"], "lot_numbers": ["1", "7"]})
    assert lots.json["errors"]["json"]["lot_numbers"] == [
        "Lot(s) inconnu(s) de la consultation : 7."]


def test_advisors_assignment_and_workload(client, worker, service_headers, new_advisor,
                                          new_case):
    claire, marc = new_advisor("Claire Martin"), new_advisor("Marc Fayolle")
    duplicate = client.post("/api/advisors", headers=service_headers,
                            json={"name": "Autre", "email": claire["email"].upper()})
    assert duplicate.status_code == 409
    first, second, third = new_case(), new_case(), new_case()
    for case in (first, second, third):
        assigned = client.put(f"/api/cases/{case['id']}/advisor", headers=service_headers,
                              json={"advisor_id": claire["id"]})
        assert assigned.status_code == 200 and assigned.json["advisor"]["name"] == "Claire Martin"
    client.post(f"/api/cases/{second['id']}/stage", headers=service_headers,
                json={"stage": "drafting"})
    client.post(f"/api/cases/{third['id']}/stage", headers=service_headers,
                json={"stage": "abandoned"})
    for day, hours in (("2026-11-03", 2.5), ("2026-11-20", 1.25), ("2026-12-01", 3)):
        logged = client.post(f"/api/cases/{first['id']}/time", headers=service_headers,
                             json={"spent_on": day, "hours": hours, "activity": "entretien"})
        assert logged.status_code == 201 and logged.json["advisor_id"] == claire["id"]
    client.post(f"/api/cases/{second['id']}/time", headers=service_headers, json={
        "spent_on": "2026-11-15", "hours": 4, "activity": "redaction",
        "advisor_id": marc["id"]})

    load = client.get(f"/api/advisors/{claire['id']}/workload?start=2026-11-01&end=2026-11-30",
                      headers=service_headers).json
    assert load["open_cases"] == 2
    assert load["open_cases_by_stage"] == {"diagnosis": 1, "drafting": 1, "review": 0,
                                           "submission": 0, "awaiting_result": 0}
    assert load["hours"] == 3.75
    everyone = client.get("/api/advisors/workload", headers=service_headers).json
    by_id = {entry["advisor"]["id"]: entry for entry in everyone}
    assert (by_id[claire["id"]]["hours"], by_id[marc["id"]]["hours"]) == (6.75, 4)
    assert by_id[marc["id"]]["open_cases"] == 0
    unknown = client.put(f"/api/cases/{first['id']}/advisor", headers=service_headers,
                         json={"advisor_id": 987654})
    assert unknown.status_code == 422
    inactive = client.patch(f"/api/advisors/{marc['id']}", headers=service_headers,
                            json={"active": False})
    assert inactive.json["active"] is False
    assert client.put(f"/api/cases/{first['id']}/advisor", headers=service_headers,
                      json={"advisor_id": marc["id"]}).status_code == 422


def test_notes_and_coaching_hours(client, worker, service_headers, make_headers, new_case):
    case = new_case()

    def last_activity():
        return client.get(f"/api/cases/{case['id']}/state",
                          headers=service_headers).json["last_activity_at"]

    opened_activity = wait_until(last_activity, timeout=10)
    note = client.post(f"/api/cases/{case['id']}/notes", headers=service_headers,
                       json={"body": "Visite du site prévue le 8 décembre avec la directrice."})
    assert note.status_code == 201
    assert [n["body"] for n in client.get(f"/api/cases/{case['id']}/notes",
                                          headers=service_headers).json] == [
        "Visite du site prévue le 8 décembre avec la directrice."]
    for hours in (1.5, 2):
        client.post(f"/api/cases/{case['id']}/time", headers=service_headers,
                    json={"spent_on": "2026-12-01", "hours": hours, "activity": "diagnostic"})
    summary = client.get(f"/api/cases/{case['id']}/time", headers=service_headers).json
    assert summary["total_hours"] == 3.5
    assert summary["entries"][0]["activity_label"] == "Diagnostic"
    refused = client.post(f"/api/cases/{case['id']}/time", headers=service_headers,
                          json={"spent_on": "2026-12-01", "hours": 25, "activity": "pause"})
    assert set(refused.json["errors"]["json"]) == {"hours", "activity"}
    member = make_headers("membre", structure_id=case["structure_id"])
    assert client.get(f"/api/cases/{case['id']}/time", headers=member).status_code == 403
    assert client.post(f"/api/cases/{case['id']}/notes", headers=member,
                       json={"body": "Note"}).status_code == 403
    # Notes are internal unless shared with the structure on purpose.
    client.post(f"/api/cases/{case['id']}/notes", headers=service_headers,
                json={"body": "Pensez à signer la DC1.", "shared": True})
    assert [n["body"] for n in client.get(f"/api/cases/{case['id']}/notes",
                                          headers=member).json] == ["Pensez à signer la DC1."]
    # A mistaken entry is deleted.
    entry = summary["entries"][0]["id"]
    assert client.delete(f"/api/cases/{case['id']}/time/{entry}",
                         headers=service_headers).status_code == 204
    assert client.get(f"/api/cases/{case['id']}/time",
                      headers=service_headers).json["total_hours"] == 2
    assert client.delete(f"/api/cases/{case['id']}/time/{entry}",
                         headers=service_headers).status_code == 404
    # Writing on the case is activity: its idle-stage count starts again.
    wait_until(lambda: last_activity() > opened_activity, timeout=10)


def test_the_outcome_is_recorded_with_its_amount_and_feedback(client, db, worker,
                                                              service_headers, new_case):
    case = new_case()
    for stage in ("drafting", "review", "submission", "awaiting_result"):
        assert client.post(f"/api/cases/{case['id']}/stage", headers=service_headers,
                           json={"stage": stage}).status_code == 200
    no_amount = client.post(f"/api/cases/{case['id']}/outcome", headers=service_headers,
                            json={"outcome": "won"})
    assert no_amount.status_code == 422
    won = client.post(f"/api/cases/{case['id']}/outcome", headers=service_headers, json={
        "outcome": "won", "amount": 128400.50,
        "feedback": "Offre la mieux notée sur la valeur technique et le critère social."})
    assert won.status_code == 200, won.json
    assert (won.json["stage"], won.json["outcome_amount"]) == ("won", 128400.50)
    assert won.json["submitted_at"] is not None and won.json["decided_at"] is not None
    [event] = [e["data"] for e in outbox_events(db, "case.outcome_recorded")
               if e["data"]["case_id"] == case["id"]]
    assert event == {"case_id": case["id"], "structure_id": case["structure_id"],
                     "outcome": "won", "amount": "128400.50", "title": case["title"],
                     "feedback": "Offre la mieux notée sur la valeur technique et le critère "
                                 "social."}
    closed = client.post(f"/api/cases/{case['id']}/outcome", headers=service_headers,
                         json={"outcome": "lost"})
    assert closed.status_code == 409



def test_a_case_whose_workflow_does_not_answer_is_a_clean_503(client, service_headers,
                                                              monkeypatch, new_structure,
                                                              publish_tender):
    from accompagnement import workflow_calls

    # No worker runs in this test: the workflow starts, but nobody plays it.
    case = client.post("/api/cases", headers=service_headers, json={
        "structure_id": new_structure()["id"], "tender_id": publish_tender()["tender_id"]})
    assert case.status_code == 201
    monkeypatch.setattr(workflow_calls, "UPDATE_TIMEOUT_S", 2.0)
    stalled = client.post(f"/api/cases/{case.json['id']}/stage", headers=service_headers,
                          json={"stage": "abandoned"})
    assert stalled.status_code == 503
    assert stalled.json["detail"] == (
        "Le workflow du dossier ne répond pas pour l'instant (aucun worker disponible ?) : "
        "vérifiez l'état du dossier puis réessayez.")
