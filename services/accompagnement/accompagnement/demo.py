"""Demo data for accompagnement (``accompagnement demo [--dry-run]``): structures of Loire (42)
and Haute-Loire (43) with their contacts and documents, an advisor, cases linked to them at
every stage (drafting, review, awaiting the result, won in a groupement, lost, abandoned),
the social-clause facilitator's follow-up of two awarded contracts with a clause (followed as
the facilitator's API follows one, so the insertion structures that could subcontract are told;
their hours in the months before today), and the structures' alert profiles, created in veille
through its API (veille's demo knows no structure number: they are accompagnement's).

Idempotent: structures are known by SIRET, the advisor by email, a case by its structure and
tender (or, for a request for a quote, its title), a followed contract by its tender. Cases and
contracts on a tender need accompagnement's copy of it, which comes from veille's events: the
loader waits a little for it, then leaves them for the next run and says so.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from centrale.db import Database
from centrale.settings import Settings
from centrale.temporal import TemporalBridge

from . import clauses
from .config import case_input, case_settings
from .convert import structure_from_document
from .domain.checklist import DocumentKind
from centrale.french import PARIS
from .domain.structures import structure_errors
from .store import advisors as advisor_store
from .store import cases as case_store
from .store import consortium as consortium_store
from .store import journal as journal_store
from .store import structures as structure_store
from .store import tenders as tender_store
from .store import vault as vault_store
from .workflows import CaseWorkflow, StageChange

DEMO_FILE = Path(__file__).with_name("demo_data") / "loire_sud.json"
DEMO_USER = "user:demo-conseiller"
DEMO_FACILITATOR = "user:demo-facilitatrice"


@dataclass
class Plan:
    structures: list[dict] = field(default_factory=list)  # to register
    advisor: dict | None = None  # to create
    cases: list[dict] = field(default_factory=list)  # to open (their tender is known)
    contracts: list[dict] = field(default_factory=list)  # with a clause, to follow
    waiting: list[dict] = field(default_factory=list)  # their tender is not mirrored yet


def demo_data() -> dict[str, Any]:
    data = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    for structure in data["structures"]:
        departement = structure["address"]["postal_code"][:2]
        errors = structure_errors(structure_from_document({**structure,
                                                           "departement": departement}))
        if errors:
            raise ValueError(f"données de démonstration invalides ({structure['legal_name']}) : "
                             f"{errors}")
    return data


def _plan(conn, data: dict[str, Any]) -> Plan:
    plan = Plan()
    plan.structures = [s for s in data["structures"]
                       if structure_store.id_of_siret(conn, s["siret"]) is None]
    known_emails = {a["email"] for a in advisor_store.list_advisors(conn)}
    if data["advisor"]["email"] not in known_emails:
        plan.advisor = data["advisor"]
    for entry in data["cases"]:
        structure_id = structure_store.id_of_siret(conn, entry["siret"])
        if "tender" in entry:
            tender = tender_store.find_by_source(conn, *entry["tender"])
            if tender is None:
                plan.waiting.append(entry)
                continue
            entry = {**entry, "tender_id": tender["id"], "title": tender["title"]}
        if structure_id is None or not _case_exists(conn, structure_id, entry):
            plan.cases.append(entry)
    for entry in data.get("clause_contracts", []):
        tender = tender_store.find_by_source(conn, *entry["tender"])
        if tender is None:
            plan.waiting.append(entry)
        elif conn.execute("SELECT 1 FROM clause_contracts WHERE tender_id = %s",
                          (tender["id"],)).fetchone() is None:
            plan.contracts.append({**entry, "tender_id": tender["id"], "title": tender["title"],
                                   "buyer_name": tender["buyer_name"]})
    return plan


def _case_exists(conn, structure_id: int, entry: dict) -> bool:
    return conn.execute(
        "SELECT 1 FROM cases WHERE structure_id = %s AND (tender_id = %s OR"
        " (%s::bigint IS NULL AND title = %s))",
        (structure_id, entry.get("tender_id"), entry.get("tender_id"), entry["title"]),
    ).fetchone() is not None


def _describe(plan: Plan, dry_run: bool) -> str:
    would = "seraient " if dry_run else ""
    text = (f"accompagnement{' (simulation)' if dry_run else ''} : "
            f"{len(plan.structures)} structure(s), {1 if plan.advisor else 0} conseiller, "
            f"{len(plan.cases)} dossier(s) {would}créés, {len(plan.contracts)} marché(s) à "
            f"clause sociale {would}suivis.")
    if plan.waiting:
        names = ", ".join(entry["tender"][1] for entry in plan.waiting)
        text += (f" {len(plan.waiting)} dossier(s) ou marché(s) attendent leur consultation "
                 f"({names}), pas encore reçue de la veille : relancez la commande après "
                 "`veille demo`.")
    return text


def create_profiles(settings: Settings, data: dict[str, Any], db: Database) -> str:
    """The structures' alert profiles, in veille (a profile already there is left as it is)."""
    import requests

    from centrale.auth import service_token

    headers = {"Authorization": f"Bearer {service_token(settings.require_token_secret(), 'accompagnement')}"}
    url = settings.service_urls["veille"].rstrip("/") + "/api/profiles"
    created = 0
    try:
        for profile in data.get("alert_profiles", []):
            with db.transaction() as conn:
                structure_id = structure_store.id_of_siret(conn, profile["siret"])
            if structure_id is None:
                continue
            body = {k: v for k, v in profile.items() if k != "siret"}
            # Veille refuses a profile for a structure it has not heard of yet: the
            # structure.registered just written reaches it over the bus within moments.
            deadline = time.monotonic() + 30
            while True:
                response = requests.post(url, headers=headers, timeout=10,
                                         json={**body, "structure_id": structure_id})
                unknown = response.status_code == 422 and "structure_id" in (
                    (response.json().get("errors") or {}).get("json") or {})
                if not unknown or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            created += response.status_code == 201
    except requests.RequestException:
        return " Profils d'alerte non créés : la veille ne répond pas (relancez la commande)."
    return f" {created} profil(s) d'alerte créé(s) dans la veille."


def load_demo(settings: Settings, dry_run: bool, wait_for_tenders_s: float = 20.0,
              profiles: bool = True) -> str:
    """``profiles=False``: leave veille alone (the tests, whose veille is not the platform's)."""
    data = demo_data()
    db = Database.from_settings(settings).open()
    try:
        with db.transaction() as conn:
            plan = _plan(conn, data)
        if dry_run:
            return _describe(plan, dry_run=True)
        deadline = time.monotonic() + wait_for_tenders_s
        while plan.waiting and time.monotonic() < deadline:
            time.sleep(1)  # veille's events may still be on their way
            with db.transaction() as conn:
                plan = _plan(conn, data)
        _load(db, TemporalBridge(settings), settings, data, plan)
        told = _describe(plan, dry_run=False)
        if not profiles:
            return told
        # Databases that outlived an earlier version: the copies of the registry started
        # since (formation's) hear of the structures registered before them.
        with db.transaction() as conn:
            structure_store.announce_again(conn, 10_000, 0)
        return told + create_profiles(settings, data, db)
    finally:
        db.close()


def _load(db: Database, bridge: TemporalBridge, settings: Settings, data: dict,
          plan: Plan) -> None:
    with db.transaction() as conn:
        if plan.advisor:
            advisor_store.create_advisor(conn, plan.advisor["name"], plan.advisor["email"])
        for structure in plan.structures:
            document = {**structure, "departement": structure["address"]["postal_code"][:2]}
            created = structure_store.create_structure(conn, document)
            for doc in structure.get("documents", []):
                kind = DocumentKind(doc["kind"])
                vault_store.add_document(conn, created["id"], kind.value, kind.label,
                                         _day(doc.get("issued_on")), _day(doc.get("expires_on")),
                                         None, None, None, DEMO_USER)
        advisor_id = next(a["id"] for a in advisor_store.list_advisors(conn)
                          if a["email"] == data["advisor"]["email"])
    for entry in plan.cases:
        _open_case(db, bridge, settings, entry, advisor_id)
    for entry in plan.contracts:
        _follow_contract(db, entry)


def _follow_contract(db: Database, entry: dict) -> None:
    """Followed as the facilitator follows one, its hours entered month by month."""
    this_month = datetime.now(PARIS).date().replace(day=1)
    with db.transaction() as conn:
        contract = clauses.follow_contract(conn, {
            "tender_id": entry["tender_id"], "lot_id": None, "title": entry["title"],
            "buyer_name": entry["buyer_name"], "winner_name": entry["winner_name"],
            "winner_siret": entry["winner_siret"], "cpv_codes": [],
            "hours_required": Decimal(str(entry["hours_required"]))}, DEMO_FACILITATOR)
        for months_ago, hours in entry["hours_by_month"]:
            month = this_month
            for _ in range(months_ago):
                month = (month - timedelta(days=1)).replace(day=1)
            clauses.record_month(conn, contract["id"], month, Decimal(str(hours)),
                                 DEMO_FACILITATOR)


def _open_case(db: Database, bridge: TemporalBridge, settings: Settings, entry: dict,
               advisor_id: int) -> None:
    with db.transaction() as conn:
        structure_id = structure_store.id_of_siret(conn, entry["siret"])
        if "tender_id" in entry:
            tender = tender_store.get_tender(conn, entry["tender_id"])
            case = case_store.open_case(conn, structure_id, tender["id"], tender["title"],
                                        DEMO_USER, deadline=tender["deadline"],
                                        lot_numbers=entry.get("lot_numbers", []),
                                        advisor_id=advisor_id)
        else:
            day = datetime.now(PARIS).date() + timedelta(days=entry["deadline_in_days"])
            case = case_store.open_case(
                conn, structure_id, None, entry["title"], DEMO_USER, kind="private_quote",
                buyer_name=entry["buyer_name"], advisor_id=advisor_id,
                deadline=datetime(day.year, day.month, day.day, 17, 0, tzinfo=PARIS))
        for note in entry.get("notes", []):
            journal_store.add_note(conn, case["id"], note, DEMO_USER, shared=True)
        if entry.get("groupement"):
            _groupement(conn, case, entry["groupement"])
        for spent_on, hours, activity in entry.get("hours", []):
            journal_store.add_time(conn, case["id"], advisor_id, _day(spent_on), Decimal(str(hours)),
                                   activity, None, DEMO_USER)
        bridge.run(lambda client: client.start_workflow(
            CaseWorkflow.run, case_input(case, case_settings(settings)), id=case["workflow_id"],
            task_queue=settings.task_queue))
    changes = [StageChange(target=stage, changed_by=DEMO_USER,
                           reason=entry.get("reason") if stage == "abandoned" else None)
               for stage in entry.get("stages", [])]
    if entry.get("outcome"):
        outcome = entry["outcome"]
        changes.append(StageChange(target=outcome["stage"], changed_by=DEMO_USER,
                                   reason="Résultat enregistré.",
                                   amount=None if outcome.get("amount") is None
                                   else str(outcome["amount"]),
                                   feedback=outcome.get("feedback")))
    for change in changes:
        bridge.run(lambda client: client.get_workflow_handle(case["workflow_id"]).execute_update(
            CaseWorkflow.change_stage, change), timeout=30)


def _groupement(conn, case: dict, groupement: dict) -> None:
    """Partners invited, their answers, then roles, shares and lots (one lot each)."""
    composition = [{"structure_id": case["structure_id"], "role": "mandataire",
                    "share_percent": groupement["lead_share"], "lot_numbers": []}]
    for partner in groupement["partners"]:
        partner_id = structure_store.id_of_siret(conn, partner["siret"])
        consortium_store.invite(conn, case, partner_id, partner["role"], None, DEMO_USER)
        consortium_store.answer(conn, case, partner_id, True, partner.get("answer"))
        composition.append({"structure_id": partner_id, "role": partner["role"],
                            "share_percent": partner["share"], "lot_numbers": []})
    consortium_store.set_composition(conn, case["id"], composition)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
