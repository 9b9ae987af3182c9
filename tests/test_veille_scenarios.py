"""Veille you can trust, over the real servers: notices imported into veille, matched by its
consumer, told by notifications' consumer and sender to a real SMTP server, and to accompagnement's
cases — each service with its own database, every event through the real RabbitMQ.

One test per promise: an award ends the alerts and is told; a « sans suite » reaches every open
case; two overlapping profiles give one email and one feed card; a new profile finds the tenders
already open; a lot reserved to ESAT/EA is never presented to an SIAE as its own; an expired tender
imported late alerts nobody; the SIAE that could subcontract for the winner of a contract with
a social clause the facilitator follows are mailed (the new kind « sous_traitance »).

The test session's veille database is shared with the other tests, and a new profile meets every
open tender in it: each test's notices carry a CPV code of its own (and its profiles that code).
"""

from __future__ import annotations

import importlib
import itertools
import random
import threading
import time
import uuid
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from stdnum import luhn

from accompagnement.activities import CaseActivities
from accompagnement.handlers import handlers as accompagnement_handlers
from accompagnement.workflows import CaseWorkflow
from centrale.bus import Bus
from centrale.db import Database
from centrale.outbox import OutboxRelay
from centrale.auth import issue_token, service_token
from centrale.testing import (TEST_SECRET, bearer, free_port, outbox_events, prepared_settings,
                              running_consumer, running_worker, wait_until)
from notifications.config import config_from
from notifications.handlers import handlers as notification_handlers
from notifications.sender import background_sender
from veille.ingest import IngestReport, Ingester
from veille.matcher import matching_handlers

pytestmark = pytest.mark.integration

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime.now(PARIS).replace(microsecond=0)
_numbers = itertools.count(random.randint(100_000, 800_000) * 10)


def unique_siret() -> str:
    base = f"8{next(_numbers) % 10_000_000:07d}"
    siren = base + luhn.calc_check_digit(base)
    return siren + "0001" + luhn.calc_check_digit(siren + "0001")


class Mailbox:
    """A real SMTP server on a free port, keeping what it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[str, str]] = []  # (recipient, subject)
        self.lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        import email
        from email.policy import default

        message = email.message_from_bytes(envelope.content, policy=default)
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, str(message["Subject"])))
        return "250 2.0.0 Ok: queued"

    def to(self, address: str) -> list[str]:
        with self.lock:
            return [subject for rcpt, subject in self.received if rcpt == address]


@dataclass
class Platform:
    veille_db: Database
    acc_db: Database
    notif_db: Database
    veille: object  # Flask test clients
    accompagnement: object
    headers: dict
    mailbox: Mailbox
    veille_settings: object

    def structure(self, category="insertion", insertion_kind="aci", legal_form="association"):
        """A structure registered in accompagnement: its structure.registered reaches veille
        (its category) and notifications (its contacts)."""
        number = next(_numbers)
        siret = unique_siret()
        contact = f"contact.{uuid.uuid4().hex[:10]}@exemple.fr"
        body = {"legal_name": f"Structure {number}", "siret": siret, "legal_form": legal_form,
                "category": category, "insertion_kind": insertion_kind,
                "address": {"street": "3 rue de la Paix", "postal_code": "42000",
                            "city": "Saint-Étienne"},
                "activities": ["9091"],
                "contacts": [{"name": "Camille Roux", "email": contact, "role": "direction"}]}
        response = self.accompagnement.post("/api/structures", json=body, headers=self.headers)
        assert response.status_code == 201, response.json
        structure_id = response.json["id"]
        wait_until(lambda: self._known(structure_id), timeout=20,
                   message="structure.registered did not reach veille and notifications")
        return structure_id, contact

    def _known(self, structure_id: int) -> bool:
        with self.veille_db.transaction() as conn:
            in_veille = conn.execute("SELECT 1 FROM structures WHERE id = %s",
                                     (structure_id,)).fetchone()
        with self.notif_db.transaction() as conn:
            in_notifications = conn.execute(
                "SELECT 1 FROM directory_structures WHERE structure_id = %s",
                (structure_id,)).fetchone()
        return bool(in_veille and in_notifications)

    def profile(self, structure_id: int, **criteria) -> dict:
        body = {"structure_id": structure_id, "name": f"Profil {next(_numbers)}", **criteria}
        response = self.veille.post("/api/profiles", json=body, headers=self.headers)
        assert response.status_code == 201, response.json
        return response.json

    def ingest(self, *notices: dict) -> list[int]:
        Ingester(self.veille_db, self.veille_settings).store(list(notices), IngestReport(),
                                                              "scenario")
        with self.veille_db.transaction() as conn:
            return [conn.execute("SELECT tender_id FROM tender_notices WHERE source = %s AND"
                                 " source_id = %s", (n["source"], n["source_id"])
                                 ).fetchone()["tender_id"] for n in notices]

    def feed_cards(self, structure_id: int, event_type: str) -> int:
        """The feed cards of this type shown to the structure's (one) contact."""
        with self.notif_db.transaction() as conn:
            return conn.execute(
                "SELECT count(*) AS n FROM notifications WHERE structure_id = %s"
                " AND event_type = %s", (structure_id, event_type)).fetchone()["n"]

    def _snapshot(self) -> tuple:
        counts = []
        for db in (self.veille_db, self.acc_db, self.notif_db):
            with db.transaction() as conn:
                counts.append(conn.execute(
                    "SELECT (SELECT count(*) FROM centrale_outbox WHERE published_at IS NULL)"
                    " AS pending, (SELECT count(*) FROM centrale_outbox) AS written,"
                    " (SELECT count(*) FROM centrale_inbox) AS consumed").fetchone())
        with self.notif_db.transaction() as conn:
            emails = conn.execute("SELECT count(*) FILTER (WHERE status = 'pending') AS pending,"
                                  " count(*) AS written FROM emails").fetchone()
        return tuple(tuple(c.values()) for c in counts) + (tuple(emails.values()),)

    def settled(self, quiet_for: float = 1.5) -> None:
        """Every outbox relayed, every email sent, and nothing consumed or written for
        ``quiet_for`` seconds: the events in flight have all had their effects."""
        def still(snapshot):
            return all(c[0] == 0 for c in snapshot[:3]) and snapshot[3][0] == 0

        last, since = None, time.monotonic()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            snapshot = self._snapshot()
            if snapshot != last or not still(snapshot):
                last, since = snapshot, time.monotonic()
            elif time.monotonic() - since >= quiet_for:
                return
            time.sleep(0.1)
        pytest.fail("the platform did not settle within 60 s")


def notice(source_id: str, title: str, *, cpv: str, lots=(), deadline=None,
           notice_type="contract", procedure_id=None, departments=("42",), **extra) -> dict:
    return {"source": "boamp", "source_id": source_id,
            "procedure_id": procedure_id or f"P-{source_id}", "notice_type": notice_type,
            "title": title, "description": "", "buyer": {"name": "Ville de Firminy",
                                                         "siret": "21420099400019", "nuts": None},
            "cpv_main": cpv, "cpv_additional": [],
            "place": {"nuts": [], "departments": list(departments)}, "estimated_value": None,
            "deadline": (deadline or NOW + timedelta(days=40)).isoformat(),
            "procedure_type": "open", "reserved": [], "social_criteria": False,
            "lots": list(lots), "url": f"https://www.boamp.fr/pages/avis/?q=idweb:{source_id}",
            "language": "fr", **extra}


@contextmanager
def relaying(*pairs):
    relays = [OutboxRelay(db, Bus.from_settings(settings), idle_wait_s=0.1)
              for db, settings in pairs]
    threads = [threading.Thread(target=r.run_forever, daemon=True) for r in relays]
    for thread in threads:
        thread.start()
    try:
        yield
    finally:
        for relay in relays:
            relay.stop()
        for thread in threads:
            thread.join(5)


def _client(service: str):
    app = importlib.import_module(f"{service}.app").create_app(prepared_settings(service))
    app.config["TESTING"] = True
    return app


@pytest.fixture(scope="module")
def platform():
    veille_settings = prepared_settings("veille")
    acc_settings = prepared_settings("accompagnement")
    mailbox = Mailbox()
    mailbox.controller.start()
    notif_settings = replace(prepared_settings("notifications"), smtp_port=mailbox.port)
    dbs = [Database.from_settings(s).open() for s in (veille_settings, acc_settings,
                                                       notif_settings)]
    veille_db, acc_db, notif_db = dbs
    config = replace(config_from(notif_settings), retry_base=timedelta(0))
    with ExitStack() as stack:
        stack.enter_context(running_consumer(veille_settings, veille_db, matching_handlers()))
        stack.enter_context(running_consumer(acc_settings, acc_db,
                                             accompagnement_handlers(acc_settings)))
        stack.enter_context(running_consumer(notif_settings, notif_db,
                                             notification_handlers(notif_settings)))
        stack.enter_context(running_worker(acc_settings, [CaseWorkflow],
                                           CaseActivities(acc_db).all()))
        stack.enter_context(relaying((veille_db, veille_settings), (acc_db, acc_settings)))
        stack.enter_context(background_sender(notif_db, config))
        apps = [_client("veille"), _client("accompagnement")]
        yield Platform(veille_db, acc_db, notif_db, apps[0].test_client(),
                       apps[1].test_client(), bearer(service_token(TEST_SECRET, "tests")),
                       mailbox, veille_settings)
        for app in apps:
            app.extensions["centrale"].db.close()
            app.extensions["centrale"].bus.close()
    mailbox.controller.stop()
    for db in dbs:
        db.close()


def test_an_award_ends_the_alerts_and_is_told_to_the_structures_alerted(platform):
    structure, contact = platform.structure()
    platform.profile(structure, cpv_prefixes=["90919200"])
    number = next(_numbers)
    [tender] = platform.ingest(notice(f"27-{number}", "Nettoyage des écoles de Firminy",
                                      cpv="90919200"))
    wait_until(lambda: platform.mailbox.to(contact), timeout=30, message="no alert email")

    award = notice(f"27-{number}-A", "Avis d'attribution : nettoyage des écoles",
                   notice_type="award", procedure_id=f"P-27-{number}", cpv="90919200",
                   awards=[{"lot": None, "winner": {"name": "Propreté Forézienne",
                                                     "siret": "44306184100047"},
                            "amount": {"amount": 96500, "currency": "EUR"},
                            "date": NOW.date().isoformat()}])
    assert platform.ingest(award) == [tender]
    platform.settled()
    detail = platform.veille.get(f"/api/tenders/{tender}", headers=platform.headers).json
    assert (detail["state"], detail["result"]) == ("awarded", "awarded")
    assert [(a["winner_name"], a["amount"]) for a in detail["awards"]] == [
        ("Propreté Forézienne", 96500)]
    assert platform.mailbox.to(contact) == [
        "Appel d'offres repéré : « Nettoyage des écoles de Firminy »",
        "Appel d'offres attribué : « Nettoyage des écoles de Firminy »"]

    # Afterwards, no one is alerted about it: neither a new profile nor the tender's events.
    newcomer, their_contact = platform.structure()
    assert platform.profile(newcomer, cpv_prefixes=["90919200"])["found"] == 0
    platform.settled()
    assert platform.mailbox.to(their_contact) == []


def test_a_tender_declared_sans_suite_is_told_to_every_open_case_on_it(platform):
    structure, contact = platform.structure()
    number = next(_numbers)
    [tender] = platform.ingest(notice(f"27-{number}", "Entretien des espaces verts du stade",
                                      cpv="77313000"))
    platform.settled()  # accompagnement keeps its copy of the tender
    case = platform.accompagnement.post("/api/cases", headers=platform.headers, json={
        "structure_id": structure, "tender_id": tender})
    assert case.status_code == 201, case.json
    platform.ingest(notice(f"27-{number}-R", "Avis rectificatif : déclaration sans suite",
                           notice_type="corrigendum", procedure_id=f"P-27-{number}",
                           cancelled=True, cpv="77313000"))
    platform.settled()
    told = [e["data"] for e in outbox_events(platform.acc_db, "case.tender_closed")
            if e["data"]["case_id"] == case.json["id"]]
    assert [(d["result"], d["structure_told"]) for d in told] == [("cancelled", False)]
    notes = platform.accompagnement.get(f"/api/cases/{case.json['id']}/notes",
                                        headers=platform.headers).json
    assert [n["body"] for n in notes] == [
        "La veille annonce que l'appel d'offres est déclaré sans suite."]
    subjects = platform.mailbox.to(contact)
    assert any(s.startswith("Dossier « ") and "sans suite" in s for s in subjects), subjects


def test_two_overlapping_profiles_give_one_email_and_one_feed_card(platform):
    structure, contact = platform.structure()
    platform.profile(structure, cpv_prefixes=["90914000"])
    platform.profile(structure, keywords=["ludothèque"], departments=["43"])
    number = next(_numbers)
    [tender] = platform.ingest(notice(f"27-{number}", "Nettoyage du parking de la ludothèque",
                                      cpv="90914000", departments=["43"]))
    platform.settled()
    assert platform.mailbox.to(contact) == [
        "Appel d'offres repéré : « Nettoyage du parking de la ludothèque »"]
    assert platform.feed_cards(structure, "tender.matched") == 1
    [alert] = platform.veille.get(f"/api/structures/{structure}/matches",
                                  headers=platform.headers).json
    assert len(alert["profiles"]) == 2


def test_a_new_profile_is_matched_against_the_tenders_already_open(platform):
    number = next(_numbers)
    [tender] = platform.ingest(notice(f"27-{number}", "Animation de la bibliothèque municipale",
                                      cpv="92511000"))
    platform.settled()
    structure, contact = platform.structure()
    created = platform.profile(structure, cpv_prefixes=["92511000"])
    assert created["found"] == 1
    platform.settled()
    assert platform.mailbox.to(contact) == [
        "Appel d'offres repéré : « Animation de la bibliothèque municipale »"]
    assert platform.feed_cards(structure, "tender.matched") == 1


def test_a_lot_reserved_to_esat_and_ea_is_not_presented_to_an_siae_as_its_own(platform):
    siae, siae_contact = platform.structure(category="insertion", insertion_kind="aci")
    ea, ea_contact = platform.structure(category="ea", insertion_kind=None,
                                        legal_form="sas")
    for structure in (siae, ea):
        platform.profile(structure, cpv_prefixes=["90911100"])
    number = next(_numbers)
    lots = [{"id": "1", "title": "Locaux administratifs", "cpv_main": "90911100",
             "reserved": ["sheltered_workshop"]},
            {"id": "2", "title": "Gymnases", "cpv_main": "90911100", "reserved": []}]
    [tender] = platform.ingest(notice(f"27-{number}", "Nettoyage des bâtiments communaux",
                                      lots=lots, reserved=["sheltered_workshop"],
                                      cpv="90911100"))
    platform.settled()
    alerts = {s: platform.veille.get(f"/api/structures/{s}/matches",
                                     headers=platform.headers).json for s in (siae, ea)}
    [for_siae] = alerts[siae]
    assert for_siae["lots"] == ["2"]
    assert not any("réservé" in reason for reason in for_siae["reasons"])
    [for_ea] = alerts[ea]
    assert for_ea["lots"] == ["1", "2"]
    assert "lot 1 réservé aux ESAT et entreprises adaptées : votre structure peut y répondre" \
        in for_ea["reasons"]

    # Reserved in whole to ESAT/EA: the SIAE hears nothing of it.
    only = [{**lots[0], "id": "1"}]
    platform.ingest(notice(f"27-{number}-2", "Nettoyage des logements d'urgence", lots=only,
                           reserved=["sheltered_workshop"], cpv="90911100"))
    platform.settled()
    assert [a["tender_id"] for a in platform.veille.get(
        f"/api/structures/{siae}/matches", headers=platform.headers).json] == [tender]
    assert len(platform.mailbox.to(ea_contact)) == 2 and len(platform.mailbox.to(siae_contact)) == 1


def test_an_expired_tender_imported_late_alerts_nobody(platform):
    structure, contact = platform.structure()
    platform.profile(structure, cpv_prefixes=["90913000"])
    number = next(_numbers)
    platform.ingest(notice(f"27-{number}", "Nettoyage des cuves de la station d'épuration",
                           deadline=NOW - timedelta(days=2), cpv="90913000"))
    # One of two lots still open: alerted for that lot only.
    lots = [{"id": "1", "title": "Station d'épuration", "cpv_main": "90913000",
             "deadline": (NOW - timedelta(hours=3)).isoformat()},
            {"id": "2", "title": "Réservoirs", "cpv_main": "90913000",
             "deadline": (NOW + timedelta(days=20)).isoformat()}]
    [open_lot] = platform.ingest(notice(f"27-{number}-2", "Nettoyage des réservoirs de Firminy",
                                        lots=lots, deadline=NOW - timedelta(hours=3),
                                        cpv="90913000"))
    platform.settled()
    [alert] = platform.veille.get(f"/api/structures/{structure}/matches",
                                  headers=platform.headers).json
    assert (alert["tender_id"], alert["lots"]) == (open_lot, ["2"])
    assert platform.mailbox.to(contact) == [
        "Appel d'offres repéré : « Nettoyage des réservoirs de Firminy »"]


def test_the_siae_that_could_subcontract_for_a_clause_winner_are_told_by_email(platform):
    """A tender with an insertion clause imported and awarded in veille, mirrored by
    accompagnement; the facilitator follows its lot, and ``clause.subcontracting_offered``
    goes through the outbox and RabbitMQ to notifications, whose sender mails the contacts of
    the SIAE that could subcontract for the winner — except the contact who chose « jamais »
    for the new kind « sous_traitance » (the feed card only). A structure doing other work, a
    GEIQ and the winner itself are told nothing."""
    staff = platform.headers
    facilitator = bearer(issue_token(TEST_SECRET, "tests", "user:fac", "facilitateur"))
    acc = platform.accompagnement
    notifications = _client("notifications")

    def structure(name, activities, kind="aci", category="insertion", postal_code="42000"):
        contact = f"contact.{uuid.uuid4().hex[:10]}@exemple.fr"
        response = acc.post("/api/structures", headers=staff, json={
            "legal_name": name, "siret": unique_siret(), "legal_form": "association",
            "category": category, "insertion_kind": kind,
            "address": {"street": "3 rue de la Paix", "postal_code": postal_code,
                        "city": "Saint-Étienne"},
            "activities": activities,
            "contacts": [{"name": "Camille Roux", "email": contact, "role": "direction"}]})
        assert response.status_code == 201, response.json
        return response.json, contact

    green, green_contact = structure("Chantier Vert du Gier", ["77310000"])
    quiet, quiet_contact = structure("EI Jardins du Velay", ["7731"], kind="ei",
                                     postal_code="43000")
    _, builder_contact = structure("ACI Bâtiment du Forez", ["45"])
    _, geiq_contact = structure("GEIQ Espaces Verts", ["7731"], kind="geiq")
    winner, winner_contact = structure("Régie Verte Solidaire", ["77"])
    told = sorted([green["id"], quiet["id"]])

    def count(db: str, sql: str, *args) -> int:
        with getattr(platform, db).transaction() as conn:
            return conn.execute(sql, args).fetchone()["n"]

    wait_until(lambda: count("notif_db", "SELECT count(*) AS n FROM directory_structures"
                             " WHERE structure_id = ANY(%s)", told) == 2,
               timeout=30, message="structure.registered did not reach notifications")
    chosen = notifications.test_client().put(
        "/api/preferences/sous_traitance", headers=staff, query_string={"email": quiet_contact},
        json={"mode": "never"})
    assert chosen.status_code == 200, chosen.json

    number = next(_numbers)
    contract_notice = notice(
        f"28-{number}", "Entretien des espaces verts de Rive-de-Gier", cpv="77310000",
        lots=[{"id": "1", "title": "Tonte et taille", "cpv_main": "77310000",
               "insertion_clause": True, "social_clause": True}], insertion_clause=True)
    award_notice = notice(
        f"28-{number}-A", "Avis d'attribution : espaces verts de Rive-de-Gier",
        notice_type="award", procedure_id=f"P-28-{number}", cpv="77310000",
        awards=[{"lot": "1", "winner": {"name": winner["legal_name"], "siret": winner["siret"]},
                 "amount": {"amount": 84000, "currency": "EUR"},
                 "date": NOW.date().isoformat()}])
    [tender_id] = platform.ingest(contract_notice)
    assert platform.ingest(award_notice) == [tender_id]
    wait_until(lambda: count("acc_db", "SELECT count(*) AS n FROM tenders WHERE id = %s",
                             tender_id), timeout=30,
               message="tender.published did not reach accompagnement")

    followed = acc.post("/api/clause-contracts", headers=facilitator, json={
        "tender_id": tender_id, "lot_id": "1", "title": "Tonte et taille",
        "buyer_name": "Ville de Firminy", "winner_name": winner["legal_name"],
        "winner_siret": winner["siret"], "hours_required": 420})
    assert followed.status_code == 201, followed.json
    assert followed.json["cpv_codes"] == ["77310000"]  # the lot's, from the mirrored tender
    assert followed.json["structures_told"] == 2

    subject = "Sous-traitance possible : « Tonte et taille »"
    wait_until(lambda: platform.mailbox.to(green_contact), timeout=30,
               message="the SIAE was not mailed")

    def cards(structure_id):
        return count("notif_db", "SELECT count(*) AS n FROM notifications WHERE"
                     " structure_id = %s AND event_type = 'clause.subcontracting_offered'",
                     structure_id)

    wait_until(lambda: cards(quiet["id"]) == 1, timeout=30, message="no feed card")
    assert platform.mailbox.to(green_contact) == [subject]
    assert cards(green["id"]) == 1
    wait_until(lambda: count("notif_db", "SELECT count(*) AS n FROM emails"
                             " WHERE status = 'pending'") == 0,
               timeout=30, message="emails still pending")
    for nobody in (quiet_contact, builder_contact, geiq_contact, winner_contact):
        assert subject not in platform.mailbox.to(nobody)
    notifications.extensions["centrale"].db.close()
    notifications.extensions["centrale"].bus.close()
