"""The rules the back end holds for an advisor's day (issue « every capability usable from the
web »): the opening advisor, hours booked to who logs them, a no-go diagnosis or missing
documents blocking the deposit unless overridden with a reason, one open case per structure
and tender, diagnosis / checklist / vault edits as activity, a missed case reopened by a later
deadline, ``case.deadline_changed``, the audit trail."""

from datetime import datetime, timedelta

import pytest

from centrale.auth import issue_token
from centrale.testing import TEST_SECRET, bearer, outbox_events, wait_until

from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")

pytestmark = pytest.mark.integration
CRITERIA = ("activity_fit", "capacity", "references", "time_left", "price_position",
            "reserved_eligibility", "partner_need")


def person(role: str = "conseiller", email: str | None = None, subject: str = "user:7"):
    return bearer(issue_token(TEST_SECRET, "portail", subject, role, email=email))


def test_a_case_opened_by_an_advisor_is_hers_and_hours_count_for_who_logs_them(
        client, worker, service_headers, new_structure, new_advisor, publish_tender):
    claire, paul = new_advisor("Claire Martin"), new_advisor("Paul Dubois")
    as_claire = person(email=claire["email"].upper())
    opened = client.post("/api/cases", headers=as_claire, json={
        "structure_id": new_structure()["id"], "tender_id": publish_tender()["tender_id"]})
    assert opened.status_code == 201
    assert opened.json["advisor"]["name"] == "Claire Martin"
    chosen = client.post("/api/cases", headers=as_claire, json={
        "structure_id": new_structure()["id"], "tender_id": publish_tender()["tender_id"],
        "advisor_id": paul["id"]})
    assert chosen.json["advisor"]["name"] == "Paul Dubois"
    # Paul logs an hour on Claire's case: it counts for Paul.
    client.post(f"/api/cases/{opened.json['id']}/time", headers=person(email=paul["email"]),
                json={"spent_on": "2026-12-01", "hours": 1.5, "activity": "entretien"})
    [entry] = client.get(f"/api/cases/{opened.json['id']}/time",
                         headers=service_headers).json["entries"]
    assert entry["advisor_id"] == paul["id"]


def test_one_open_case_per_structure_and_tender(client, worker, service_headers, new_structure,
                                                publish_tender):
    structure, tender = new_structure(), publish_tender()
    body = {"structure_id": structure["id"], "tender_id": tender["tender_id"]}
    first = client.post("/api/cases", headers=service_headers, json=body)
    assert first.status_code == 201
    again = client.post("/api/cases", headers=service_headers, json=body)
    assert again.status_code == 409
    assert f"dossier n° {first.json['id']}" in again.json["detail"]
    client.post(f"/api/cases/{first.json['id']}/stage", headers=service_headers,
                json={"stage": "abandoned"})
    assert client.post("/api/cases", headers=service_headers, json=body).status_code == 201


def walk_to_submission(client, headers, case_id):
    for stage in ("drafting", "review", "submission"):
        response = client.post(f"/api/cases/{case_id}/stage", headers=headers,
                               json={"stage": stage})
        assert response.status_code == 200, response.json


def test_a_no_go_warns_before_drafting_and_blocks_the_deposit_unless_overridden(
        client, worker, service_headers, new_case):
    case = new_case()
    diagnosis = client.post(f"/api/cases/{case['id']}/diagnosis", headers=service_headers,
                            json={"scores": {c: 0 for c in CRITERIA}})
    assert diagnosis.status_code == 201, diagnosis.json
    assert diagnosis.json["decision"] == "no_go"
    detail = client.get(f"/api/cases/{case['id']}", headers=service_headers).json
    assert detail["warnings"] == ["Le diagnostic conclut à ne pas répondre (no-go)."]
    assert [s["stage"] for s in detail["next_stages"]] == ["drafting", "abandoned", "missed"]
    walk_to_submission(client, service_headers, case["id"])
    blocked = client.post(f"/api/cases/{case['id']}/stage", headers=service_headers,
                          json={"stage": "awaiting_result"})
    assert blocked.status_code == 409
    assert blocked.json["detail"].startswith("Dépôt bloqué : Le diagnostic conclut à ne pas "
                                             "répondre (no-go).")
    deposited = client.post(f"/api/cases/{case['id']}/stage", headers=service_headers, json={
        "stage": "awaiting_result", "override_reason": "Le client tient à répondre"})
    assert deposited.status_code == 200
    assert deposited.json["history"][-1]["reason"].endswith("motif : Le client tient à répondre")


def test_missing_required_documents_block_the_deposit(client, worker, service_headers, new_case):
    case = new_case()
    assert client.post(f"/api/cases/{case['id']}/checklist", headers=service_headers,
                       json={}).status_code == 201
    walk_to_submission(client, service_headers, case["id"])
    blocked = client.post(f"/api/cases/{case['id']}/stage", headers=service_headers,
                          json={"stage": "awaiting_result"})
    assert blocked.status_code == 409
    assert "obligatoire" in blocked.json["detail"] and "manquante" in blocked.json["detail"]


def test_diagnosis_checklist_and_vault_edits_count_as_activity(client, worker, service_headers,
                                                               new_case):
    case = new_case()

    def last_activity():
        return client.get(f"/api/cases/{case['id']}/state",
                          headers=service_headers).json["last_activity_at"]

    def after(action):
        before = wait_until(last_activity, timeout=10)
        action()
        wait_until(lambda: last_activity() > before, timeout=10,
                   message="the edit did not count as activity")

    after(lambda: client.post(f"/api/cases/{case['id']}/diagnosis", headers=service_headers,
                              json={"scores": {c: 3 for c in CRITERIA}}))
    after(lambda: client.post(f"/api/cases/{case['id']}/checklist", headers=service_headers,
                              json={}))
    kind = client.get(f"/api/cases/{case['id']}/checklist",
                      headers=service_headers).json["items"][0]["kind"]
    after(lambda: client.patch(f"/api/cases/{case['id']}/checklist/{kind}",
                               headers=service_headers, json={"status": "en_cours"}))
    after(lambda: client.post(f"/api/structures/{case['structure_id']}/documents",
                              headers=service_headers, data={"kind": "kbis"},
                              content_type="multipart/form-data"))


def test_a_missed_case_reopens_when_a_corrigendum_moves_the_deadline_later(
        client, db, worker, service_headers, new_structure, publish_tender):
    soon = datetime.now(PARIS).replace(microsecond=0) + timedelta(seconds=4)
    tender = publish_tender(deadline=soon)
    opened = client.post("/api/cases", headers=service_headers, json={
        "structure_id": new_structure()["id"], "tender_id": tender["tender_id"]}).json
    client.post(f"/api/cases/{opened['id']}/stage", headers=service_headers,
                json={"stage": "drafting"})

    def stage():
        return client.get(f"/api/cases/{opened['id']}", headers=service_headers).json["stage"]

    wait_until(lambda: stage() == "missed", timeout=30, message="the deadline did not pass")
    later = (datetime.now(PARIS) + timedelta(days=20)).replace(microsecond=0)
    publish_tender("tender.updated", tender_id=tender["tender_id"], version=2,
                   changes={"deadline": {"before": soon.isoformat(), "after": later.isoformat()}},
                   title=tender["title"], deadline=later.isoformat(), tender=tender["tender"])
    case = client.get(f"/api/cases/{opened['id']}", headers=service_headers).json
    assert case["stage"] == "drafting" and case["closed_at"] is None
    assert datetime.fromisoformat(case["deadline"]) == later
    assert [(h["from_stage"], h["to_stage"]) for h in case["history"]] == [
        ("diagnosis", "drafting"), ("drafting", "missed"), ("missed", "drafting")]
    # Its new workflow runs: the case moves on, and its history goes on from there.
    moved = client.post(f"/api/cases/{opened['id']}/stage", headers=service_headers,
                        json={"stage": "review"})
    assert moved.status_code == 200, moved.json
    assert moved.json["history"][-1]["to_stage"] == "review"
    [changed] = [e["data"] for e in outbox_events(db, "case.deadline_changed")
                 if e["data"]["case_id"] == opened["id"]]
    assert changed["deadline"] == later.isoformat()


def test_a_corrigendum_says_the_case_deadline_moved(client, db, worker, service_headers,
                                                   new_case, publish_tender):
    tender = publish_tender()
    case = new_case(tender=tender)
    later = datetime.fromisoformat(tender["deadline"]) + timedelta(days=7)
    publish_tender("tender.updated", tender_id=tender["tender_id"], version=2,
                   changes={"deadline": {"before": tender["deadline"], "after": later.isoformat()}},
                   title=tender["title"], deadline=later.isoformat(), tender=tender["tender"])
    [changed] = [e["data"] for e in outbox_events(db, "case.deadline_changed")
                 if e["data"]["case_id"] == case["id"]]
    assert changed["previous_deadline"] == datetime.fromisoformat(tender["deadline"]).isoformat()
    assert datetime.fromisoformat(changed["deadline"]) == later
    assert changed["structure_id"] == case["structure_id"]


def test_the_audit_trail_says_who_changed_what(client, worker, service_headers, new_case,
                                               new_advisor, make_headers):
    case = new_case()
    sid = case["structure_id"]
    claire = new_advisor("Claire Martin")
    as_claire = person(email=claire["email"], subject="user:31")
    client.patch(f"/api/structures/{sid}", headers=as_claire,
                 json={"social_value": {"people_supported": 40}})
    client.post(f"/api/structures/{sid}/documents", headers=as_claire,
                data={"kind": "kbis", "title": "Kbis de mars"}, content_type="multipart/form-data")
    client.put(f"/api/cases/{case['id']}/advisor", headers=as_claire,
               json={"advisor_id": claire["id"]})
    walk_to_submission(client, service_headers, case["id"])
    client.post(f"/api/cases/{case['id']}/stage", headers=service_headers,
                json={"stage": "awaiting_result"})
    client.post(f"/api/cases/{case['id']}/outcome", headers=as_claire,
                json={"outcome": "won", "amount": 48500, "feedback": "Très bon mémoire"})
    structure_trail = client.get(f"/api/structures/{sid}/audit", headers=service_headers).json
    assert [(e["summary"], e["actor"]) for e in structure_trail][:2] == [
        ("Document déposé : Kbis de mars.", "user:31"),
        ("Fiche modifiée : valeur sociale.", "user:31")]
    assert structure_trail[-1]["summary"].startswith("Fiche créée : ")
    case_trail = client.get(f"/api/cases/{case['id']}/audit", headers=service_headers).json
    assert [(e["summary"], e["actor"]) for e in case_trail] == [
        ("Résultat enregistré : gagné, 48 500,00 € HT.", "user:31"),
        ("Conseiller·ère : personne → Claire Martin.", "user:31")]
    member = make_headers("membre", structure_id=sid)
    assert client.get(f"/api/structures/{sid}/audit", headers=member).status_code == 403
