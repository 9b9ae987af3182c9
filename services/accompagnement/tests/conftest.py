"""Accompagnement's test fixtures: the app on this session's test database, a worker, and
factories with French data (structures of Loire and Haute-Loire, tenders as veille sends them).

The test database lives for the whole session: every factory makes unique SIRETs and tender
ids so that tests never collide.
"""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from stdnum import luhn
from temporalio.service import RPCError, RPCStatusCode

from accompagnement.activities import CaseActivities
from accompagnement.handlers import mirror_tender
from accompagnement.store.cases import TERMINAL
from accompagnement.workflows import CaseWorkflow
from centrale.db import Database
from centrale.events import Event
from centrale.temporal import TemporalBridge
from centrale.testing import prepared_settings, running_worker
from centrale.testing.clock import paris_today

PARIS = ZoneInfo("Europe/Paris")
_sirets = itertools.count(1)
_tenders = itertools.count(900_001)
_emails = itertools.count(1)


def unique_siret() -> str:
    """A Luhn-valid SIRET no other test uses (SIREN 8xxxxxxx, first establishment)."""
    base = f"8{next(_sirets):07d}"
    siren = base + luhn.calc_check_digit(base)
    head = siren + "0001"
    return head + luhn.calc_check_digit(head)


def structure_payload(**overrides) -> dict:
    data = {
        "legal_name": "Régie de quartier Solidarité Montreynaud",
        "siret": unique_siret(),
        "legal_form": "association",
        "category": "insertion",
        "insertion_kind": "aci",
        "address": {"street": "12 rue Pierre Loti", "postal_code": "42000",
                    "city": "Saint-Étienne"},
        "activities": ["9091", "77310000"],
        "capacities": {"headcount": 24, "annual_turnover": 480000, "insurance_coverage":
                       1500000, "insurer": "MAIF", "insurance_expires_on": "2027-12-31"},
        "social_value": {"insertion_hours_per_year": 18500, "people_supported": 32,
                         "local_employment_percent": 85, "social_mission":
                         "Remettre en emploi les habitants du quartier par le nettoyage et "
                         "l'entretien des espaces verts."},
        "references": [{"title": "Nettoyage des écoles", "buyer": "Ville de Saint-Étienne",
                        "year": paris_today().year - 1, "amount": 95000, "cpv_codes": ["90911200"]}],
        "contacts": [{"name": "Nadia Benali", "email": "direction@regie-montreynaud.fr",
                      "role": "direction"}],
    }
    data.update(overrides)
    return data


def tender_data(tender_id: int | None = None, deadline: datetime | None = None, **overrides):
    """The ``data`` of a ``tender.published`` event, as veille writes it."""
    tender_id = tender_id or next(_tenders)
    deadline = deadline or datetime.now(PARIS).replace(microsecond=0) + timedelta(days=30)
    data = {
        "tender_id": tender_id, "source": "boamp", "source_id": f"26-{tender_id}",
        "title": "Nettoyage des locaux de l'hôtel de ville et des équipements sportifs",
        "deadline": deadline.isoformat(),
        "tender": {
            "buyer": {"name": "Ville de Saint-Chamond", "siret": "21420207900015", "nuts": None},
            "cpv_main": "90911200", "cpv_additional": [], "departments": ["42"],
            "estimated_value": {"amount": 210000, "currency": "EUR"},
            "procedure_type": "adapted", "notice_type": "contract", "reserved": ["insertion"],
            "social_criteria": True, "url": "https://www.boamp.fr/avis/detail/26-118204",
            "lots": [
                {"id": "1", "title": "Nettoyage de l'hôtel de ville", "cpv_main": "90911200",
                 "estimated_value": {"amount": 130000, "currency": "EUR"},
                 "reserved": ["insertion"]},
                {"id": "2", "title": "Entretien des espaces verts des gymnases",
                 "cpv_main": "77310000", "estimated_value": {"amount": 80000, "currency": "EUR"},
                 "reserved": []},
            ],
        },
    }
    data.update(overrides)
    return data


@pytest.fixture(scope="session")
def settings():
    return prepared_settings("accompagnement")


TABLES = ("structure_change_requests", "clause_hours", "clause_contracts", "clause_notes", "directory_consents", "directory_cards", "consortium_members", "checklist_items", "document_warnings", "vault_documents",
          "diagnoses", "case_alerts", "case_time_entries", "case_notes", "case_stage_history",
          "cases", "tenders", "advisors", "structure_contacts", "structure_references",
          "structures", "centrale_outbox", "centrale_inbox")


@pytest.fixture(scope="module", autouse=True)
def leave_nothing_behind(request):
    """After each module that used the servers: no case workflow left running on the shared
    Temporal server (their timers would fire for weeks), and the service's tables emptied
    for the modules and suites that follow in the session."""
    yield
    if request.node.get_closest_marker("integration") is None:
        return
    settings = prepared_settings("accompagnement")
    database = Database.from_settings(settings).open()
    with database.transaction() as conn:
        running = [row["workflow_id"] for row in conn.execute(
            "SELECT workflow_id FROM cases WHERE workflow_id IS NOT NULL"
            " AND stage <> ALL(%s)", (TERMINAL,))]

    async def terminate(client):
        for workflow_id in running:
            try:
                await client.get_workflow_handle(workflow_id).terminate(reason="fin des tests")
            except RPCError as error:
                if error.status != RPCStatusCode.NOT_FOUND:  # already ended
                    raise

    TemporalBridge(settings).run(terminate, timeout=120)
    with database.transaction() as conn:
        conn.execute(f"TRUNCATE {', '.join(TABLES)}")
    database.close()


@pytest.fixture
def db(settings):
    database = Database.from_settings(settings).open()
    yield database
    database.close()


@pytest.fixture
def app(make_service_app):
    return make_service_app("accompagnement")


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def worker(settings, db):
    with running_worker(settings, [CaseWorkflow], CaseActivities(db).all()) as queue:
        yield queue


@pytest.fixture
def bridge(settings):
    return TemporalBridge(settings)


@pytest.fixture
def publish_tender(db, bridge, settings):
    """Apply a veille event through accompagnement's real handler; return the event's data."""
    handle = mirror_tender(bridge, settings)

    def publish(event_type: str = "tender.published", **data):
        data = tender_data(**data) if event_type == "tender.published" else data
        with db.transaction() as conn:
            handle(conn, Event(type=event_type, subject=f"tender:{data['tender_id']}",
                               producer="veille", data=data))
        return data

    return publish


@pytest.fixture
def new_structure(client, service_headers):
    def create(**overrides) -> dict:
        response = client.post("/api/structures", headers=service_headers,
                               json=structure_payload(**overrides))
        assert response.status_code == 201, response.json
        return response.json

    return create


@pytest.fixture
def new_advisor(client, service_headers):
    def create(name: str = "Claire Martin") -> dict:
        email = f"conseiller.{next(_emails)}@centrale-solidaire.fr"
        response = client.post("/api/advisors", headers=service_headers,
                               json={"name": name, "email": email})
        assert response.status_code == 201, response.json
        return response.json

    return create


@pytest.fixture
def new_case(client, service_headers, new_structure, publish_tender):
    """Open a case (a worker must run): on a fresh tender unless told otherwise."""

    def create(structure: dict | None = None, tender: dict | None = None, **fields) -> dict:
        structure = structure or new_structure()
        payload = {"structure_id": structure["id"], **fields}
        if "buyer_name" not in fields:
            payload["tender_id"] = (tender or publish_tender())["tender_id"]
        response = client.post("/api/cases", headers=service_headers, json=payload)
        assert response.status_code == 201, response.json
        return response.json

    return create
