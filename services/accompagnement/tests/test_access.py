"""Who reads what, on every endpoint: a structure's member reads only their own structure's
data (another structure's answers 404, revealing nothing); advisors read everything; staff-only
actions answer 403 to members. The table below must list every /api route of the app."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest

from accompagnement.activities import CaseActivities
from accompagnement.app import create_app
from accompagnement.workflows import CaseWorkflow
from centrale.access import ROLES_MESSAGE
from centrale.auth import issue_token, service_token
from centrale.db import Database
from centrale.testing import TEST_SECRET, bearer, running_worker

from .conftest import structure_payload, tender_data

pytestmark = pytest.mark.integration

# (method, path, body, access)
#   read:   a member reads their own structure's, gets 404 for another's; staff read all
#   write:  a member may act on their own structure's, gets 404 for another's
#   staff:  reserved to the Centrale's staff (403 for members)
#   public: any signed-in caller (tenders are public notices)
#   list:   a member's list holds their own structure's only
#   facilitator: the social-clause facilitator's and staff's (403 for members)
ENDPOINTS = [
    ("GET", "/api/structures", None, "list"),
    ("POST", "/api/structures", None, "staff"),
    ("GET", "/api/structures/vocabulary", None, "public"),
    ("GET", "/api/structures/{sid}", None, "read"),
    ("PUT", "/api/structures/{sid}", "structure", "write"),
    ("PATCH", "/api/structures/{sid}", {"social_value": {"people_supported": 32}}, "write"),
    ("DELETE", "/api/structures/{sid}", None, "staff"),
    ("GET", "/api/structures/{sid}/change-requests", None, "read"),
    ("POST", "/api/structures/{sid}/change-requests",
     {"category": "esus", "comment": "Agrément ESUS reçu."}, "write"),
    ("GET", "/api/change-requests", None, "staff"),
    ("POST", "/api/change-requests/{rid}/approve", None, "staff"),
    ("POST", "/api/change-requests/{rid}/reject", {"reason": "Justificatif manquant."}, "staff"),
    ("GET", "/api/structures/{sid}/documents", None, "read"),
    ("POST", "/api/structures/{sid}/documents", "upload", "write"),
    ("GET", "/api/structures/{sid}/documents/warnings", None, "read"),
    ("GET", "/api/structures/{sid}/documents/{did}", None, "read"),
    ("DELETE", "/api/structures/{sid}/documents/{did}", None, "write"),
    ("GET", "/api/structures/{sid}/documents/{did}/content", None, "read"),
    ("GET", "/api/structures/{sid}/invitations", None, "read"),
    ("GET", "/api/advisors", None, "staff"),
    ("POST", "/api/advisors", {"name": "X", "email": "x@example.fr"}, "staff"),
    ("GET", "/api/advisors/workload", None, "staff"),
    ("GET", "/api/advisors/{aid}", None, "staff"),
    ("PATCH", "/api/advisors/{aid}", {"active": True}, "staff"),
    ("GET", "/api/advisors/{aid}/workload", None, "staff"),
    ("GET", "/api/tenders", None, "public"),
    ("GET", "/api/tenders/{tid}", None, "public"),
    ("GET", "/api/cases", None, "list"),
    ("POST", "/api/cases", None, "staff"),
    ("GET", "/api/cases/{cid}", None, "read"),
    ("PATCH", "/api/cases/{cid}", {"title": "Nouveau titre"}, "staff"),
    ("GET", "/api/cases/{cid}/state", None, "read"),
    ("POST", "/api/cases/{cid}/stage", {"stage": "drafting"}, "staff"),
    ("POST", "/api/cases/{cid}/outcome", {"outcome": "lost"}, "staff"),
    ("PUT", "/api/cases/{cid}/advisor", {"advisor_id": None}, "staff"),
    ("GET", "/api/cases/{cid}/notes", None, "read"),
    ("POST", "/api/cases/{cid}/notes", {"body": "Note"}, "staff"),
    ("GET", "/api/cases/{cid}/time", None, "staff"),  # the advisors' and funders' business
    ("DELETE", "/api/cases/{cid}/time/{eid}", None, "staff"),
    ("GET", "/api/cases/{cid}/audit", None, "staff"),
    ("GET", "/api/structures/{sid}/audit", None, "staff"),
    ("POST", "/api/cases/{cid}/time", {"spent_on": "2026-12-01", "hours": 1,
                                       "activity": "entretien"}, "staff"),
    ("GET", "/api/cases/{cid}/diagnosis/suggestions", None, "read"),
    ("GET", "/api/cases/{cid}/diagnosis", None, "read"),
    ("POST", "/api/cases/{cid}/diagnosis", {"scores": {}}, "staff"),
    ("GET", "/api/cases/{cid}/checklist", None, "read"),
    ("POST", "/api/cases/{cid}/checklist", {"replace": True}, "staff"),
    ("PATCH", "/api/cases/{cid}/checklist/{kind}", {"comment": "vu"}, "write"),
    ("GET", "/api/cases/{cid}/memoire.docx", None, "read"),
    ("GET", "/api/cases/{cid}/partners/suggestions", None, "staff"),
    ("GET", "/api/cases/{cid}/consortium", None, "read"),
    ("PUT", "/api/cases/{cid}/consortium", {"members": []}, "staff"),
    ("POST", "/api/cases/{cid}/consortium/invitations",
     {"structure_id": 1, "role": "sous_traitant"}, "staff"),
    ("POST", "/api/cases/{cid}/consortium/invitations/{pid}/answer", {"accepted": True}, "write"),
    ("GET", "/api/impact", "?start=2026-01-01&end=2026-12-31", "staff"),
    ("GET", "/api/impact.csv", "?start=2026-01-01&end=2026-12-31", "staff"),
    ("GET", "/api/directory", None, "public"),
    ("GET", "/api/directory/{sid}", None, "public"),
    ("GET", "/api/structures/{sid}/directory-card", None, "read"),
    ("PUT", "/api/structures/{sid}/directory-card", {"presentation": "Régie de quartier."},
     "write"),
    ("PUT", "/api/structures/{sid}/directory-consent", {"given": False}, "write"),
    ("GET", "/api/tenders/{tid}/clause-note", None, "facilitator"),
    ("PUT", "/api/tenders/{tid}/clause-note", {"note": "Clause au lot 2."}, "facilitator"),
    ("GET", "/api/clause-notes", "?tender_id=1", "facilitator"),
    ("GET", "/api/clause-contracts", None, "facilitator"),
    ("POST", "/api/clause-contracts", {"tender_id": 1, "title": "Nettoyage",
                                       "winner_name": "Titulaire"}, "facilitator"),
    ("GET", "/api/clause-contracts/{kid}", None, "facilitator"),
    ("PUT", "/api/clause-contracts/{kid}/hours", {"month": "2026-12-01", "hours": 5},
     "facilitator"),
]


@dataclass
class Side:
    """One structure's data: its ids, and the headers of one of its members."""

    sid: int
    cid: int
    did: int
    pid: int  # the partner invited to its case's groupement
    headers: dict


@dataclass
class World:
    client: object
    staff: dict
    mine: Side
    theirs: Side
    aid: int
    tid: int


def _side(client, staff, tid) -> Side:
    def post(path, **kwargs):
        response = client.post(path, headers=staff, **kwargs)
        assert response.status_code == 201, response.json
        return response.json

    structure = post("/api/structures", json=structure_payload())
    partner = post("/api/structures", json=structure_payload(legal_name="Partenaire"))
    case = post("/api/cases", json={"structure_id": structure["id"], "tender_id": tid})
    document = post(f"/api/structures/{structure['id']}/documents", data={
        "kind": "kbis", "issued_on": "2026-11-02",
        "file": (io.BytesIO(b"%PDF kbis"), "kbis.pdf", "application/pdf")},
        content_type="multipart/form-data")
    post(f"/api/cases/{case['id']}/diagnosis",
         json={"scores": {"capacity": 3, "price_position": 3, "partner_need": 3}})
    post(f"/api/cases/{case['id']}/checklist", json={})
    post(f"/api/cases/{case['id']}/consortium/invitations",
         json={"structure_id": partner["id"], "role": "cotraitant_conjoint"})
    member = bearer(issue_token(TEST_SECRET, "tests", "user:membre", "membre",
                                structure_id=structure["id"]))
    return Side(structure["id"], case["id"], document["id"], partner["id"], member)


@pytest.fixture(scope="module")
def world(settings):
    app = create_app(settings)
    app.config["TESTING"] = True
    db = Database.from_settings(settings).open()
    client = app.test_client()
    staff = bearer(service_token(TEST_SECRET, "tests"))
    with running_worker(settings, [CaseWorkflow], CaseActivities(db).all()):
        with db.transaction() as conn:
            from accompagnement.handlers import mirror_tender
            from centrale.events import Event
            from centrale.temporal import TemporalBridge
            data = tender_data()
            mirror_tender(TemporalBridge(settings), settings)(conn, Event(
                type="tender.published", subject="tender", producer="veille", data=data))
        advisor = client.post("/api/advisors", headers=staff,
                              json={"name": "Élise Roux", "email": "elise.roux@centrale.fr"}).json
        yield World(client, staff, _side(client, staff, data["tender_id"]),
                    _side(client, staff, data["tender_id"]), advisor["id"], data["tender_id"])
    app.extensions["centrale"].db.close()
    db.close()


def call(world: World, method: str, template: str, body, side: Side, headers: dict):
    path = template.format(sid=side.sid, cid=side.cid, did=side.did, pid=side.pid,
                           aid=world.aid, tid=world.tid, kind="dc1", eid=1, kid=1, rid=1)
    kwargs: dict = {}
    if body == "structure":
        kwargs["json"] = {**structure_payload(), "siret": world.client.get(
            f"/api/structures/{side.sid}", headers=world.staff).json["siret"]}
    elif body == "upload":
        kwargs.update(data={"kind": "dume"}, content_type="multipart/form-data")
    elif isinstance(body, str):
        path += body
    elif body is not None:
        kwargs["json"] = body
    return world.client.open(path, method=method, headers=headers, **kwargs)


def test_the_table_lists_every_api_route(world):
    app_routes = {
        (method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
        for rule in world.client.application.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in rule.methods - {"HEAD", "OPTIONS"}}
    names = {"structure_id": "sid", "case_id": "cid", "document_id": "did", "advisor_id": "aid",
             "tender_id": "tid", "entry_id": "eid",
             "contract_id": "kid", "request_id": "rid"}
    normalised = set()
    for method, rule in app_routes:
        if rule.endswith("/invitations/{structure_id}/answer"):
            rule = rule.replace("{structure_id}/answer", "{pid}/answer")
        for long, short in names.items():
            rule = rule.replace("{" + long + "}", "{" + short + "}")
        normalised.add((method, rule))
    assert normalised == {(method, path) for method, path, _, _ in ENDPOINTS}


READS = [e for e in ENDPOINTS if e[3] == "read"]
WRITES = [e for e in ENDPOINTS if e[3] == "write"]
STAFF = [e for e in ENDPOINTS if e[3] == "staff"]
FACILITATOR = [e for e in ENDPOINTS if e[3] == "facilitator"]


@pytest.mark.parametrize(("method", "path", "body", "_access"), READS,
                         ids=[f"{m} {p}" for m, p, _, _ in READS])
def test_a_member_reads_their_own_structure_only_and_advisors_read_all(world, method, path,
                                                                      body, _access):
    assert call(world, method, path, body, world.mine, world.mine.headers).status_code == 200
    foreign = call(world, method, path, body, world.theirs, world.mine.headers)
    assert foreign.status_code == 404, foreign.data[:200]
    assert foreign.headers["Content-Type"] == "application/problem+json"
    advisor = bearer(issue_token(TEST_SECRET, "tests", "user:elise", "conseiller"))
    assert call(world, method, path, body, world.theirs, advisor).status_code == 200


@pytest.mark.parametrize(("method", "path", "body", "_access"), WRITES,
                         ids=[f"{m} {p}" for m, p, _, _ in WRITES])
def test_a_member_never_acts_on_another_structure(world, method, path, body, _access):
    foreign = call(world, method, path, body, world.theirs, world.mine.headers)
    assert foreign.status_code == 404, foreign.data[:200]


@pytest.mark.parametrize(("method", "path", "body", "_access"), STAFF,
                         ids=[f"{m} {p}" for m, p, _, _ in STAFF])
def test_staff_actions_are_refused_to_members(world, method, path, body, _access):
    own = call(world, method, path, body, world.mine, world.mine.headers)
    assert own.status_code == 403, own.data[:200]
    assert own.json["detail"] == "Cette action est réservée aux conseillers de la Centrale."


@pytest.mark.parametrize(("method", "path", "body", "_access"), FACILITATOR,
                         ids=[f"{m} {p}" for m, p, _, _ in FACILITATOR])
def test_the_facilitators_follow_up_is_refused_to_members(world, method, path, body, _access):
    own = call(world, method, path, body, world.mine, world.mine.headers)
    assert own.status_code == 403, own.data[:200]
    assert own.json["detail"] == ROLES_MESSAGE


def test_members_act_on_their_own_structure(world):
    mine = world.mine
    assert call(world, "PATCH", "/api/structures/{sid}", {"social_value": {"people_supported":
                                                                          33}},
                mine, mine.headers).status_code == 200
    assert call(world, "POST", "/api/structures/{sid}/documents", "upload", mine,
                mine.headers).status_code == 201
    assert call(world, "PATCH", "/api/cases/{cid}/checklist/{kind}", {"comment": "vu"}, mine,
                mine.headers).status_code == 200
    partner = bearer(issue_token(TEST_SECRET, "tests", "user:partenaire", "membre",
                                 structure_id=mine.pid))
    assert call(world, "POST", "/api/cases/{cid}/consortium/invitations/{pid}/answer",
                {"accepted": True}, mine, partner).status_code == 200


def test_lists_hold_a_members_own_structure_only(world):
    mine = world.mine
    structures = world.client.get("/api/structures?limit=200", headers=mine.headers).json
    assert [s["id"] for s in structures] == [mine.sid]
    cases = world.client.get("/api/cases?limit=200", headers=mine.headers).json
    assert {c["structure_id"] for c in cases} == {mine.sid}
    everyone = world.client.get("/api/cases?limit=200", headers=world.staff).json
    assert {mine.sid, world.theirs.sid} <= {c["structure_id"] for c in everyone}
    for public in ("/api/tenders", f"/api/tenders/{world.tid}"):
        assert world.client.get(public, headers=mine.headers).status_code == 200


# The facilitator's own follow-up apart (its notes and contracts, refused to members above).
CHANGES = [e for e in ENDPOINTS if e[0] != "GET" and e[3] != "facilitator"]


@pytest.mark.parametrize("role", ("facilitateur", "acheteur"))
def test_the_facilitator_and_buyers_change_nothing_in_cases_or_structures(world, role):
    """Neither staff nor members: every change of accompagnement is refused to them (403 for
    staff actions, 404 for a structure's own), and the cases read as before."""
    person = bearer(issue_token(TEST_SECRET, "tests", f"user:{role}", role))
    before = world.client.get("/api/cases?limit=200", headers=world.staff).json
    for method, path, body, access in CHANGES:
        response = call(world, method, path, body, world.mine, person)
        assert response.status_code == (403 if access == "staff" else 404), (method, path)
    assert world.client.get("/api/cases?limit=200", headers=world.staff).json == before
    # and no list reads « every structure » for them
    for listing in ("/api/cases", "/api/structures"):
        assert world.client.get(listing, headers=person).status_code == 403


def test_every_api_route_needs_a_token(world):
    for method, path, body, _ in ENDPOINTS:
        response = call(world, method, path, body, world.mine, {})
        assert response.status_code == 401, (method, path)
