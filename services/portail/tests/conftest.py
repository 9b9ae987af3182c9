"""The portail against a real veille: both as gunicorn processes on this session's test
databases, veille filled with the demo notices, alert profiles and their matches."""

from __future__ import annotations

import os
import re
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest

from centrale.db import Database
from centrale.testing import (free_port, gunicorn_command, http_ready, isolated_environment,
                              prepared_settings, processes, wait_until)
from centrale.testing.clock import moved_to_today
from portail import accounts
from veille.demo import DEMO_DATA
from veille.ingest import ingest_files
from veille.matcher import Matcher
from veille.store.profiles import create_profile

DEMO_TODAY = date(2026, 12, 1)  # the day veille's demo notices were written around
PASSWORD = "mot-de-passe-de-test-1"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"
PEOPLE = {
    "advisor": ("conseillere@test.example", "Claire Martin", "conseiller", None),
    "member1": ("proprete@test.example", "Paul Dupuis", "membre", 1),
    "member2": ("jardins@test.example", "Nadia Benali", "membre", 2),
    "admin": ("admin@test.example", "Alice Admin", "admin", None),
    "buyer1": ("achats@saint-chamond.example", "Claire Achat", "acheteur", None),
    "buyer2": ("rse@atelier-forezien.example", "Hugo Privé", "acheteur", None),
    "facilitator": ("clause@maison-emploi.example", "Inès Garnier", "facilitateur", None),
}
# A buyer's organisation: its name, its SIRET (valid keys), public or private.
BUYERS = {"buyer1": ("Ville de Saint-Chamond", "21420207900015", "public"),
          "buyer2": ("Atelier Forézien SAS", "73282932000074", "private")}


def seed_veille() -> None:
    settings = prepared_settings("veille")
    db = Database.from_settings(settings).open()
    with db.transaction() as conn:
        conn.execute("TRUNCATE tenders, tender_notices, tender_versions, tender_lots, quarantine,"
                     " alert_profiles, alert_profiles_deleted, matches, dismissals, feed_cursors,"
                     " centrale_outbox, centrale_inbox RESTART IDENTITY CASCADE")
        for structure_id, name, prefixes in ((1, "Propreté", ["9091"]),
                                             (2, "Espaces verts", ["7731", "7700"])):
            create_profile(conn, {"structure_id": structure_id, "name": name,
                                  "cpv_prefixes": prefixes, "keywords": [], "departments": [],
                                  "min_value": None, "max_value": None, "reserved_only": False,
                                  "notice_kinds": ["contract", "prior_information", "renewal"]})
    with tempfile.TemporaryDirectory() as moved:
        # The demo's notices as if published this week: their deadlines stay ahead, which
        # matching and the stage moves of the tests' cases need (demo_data/README.md's
        # "today" is 1 December 2026).
        for path in sorted(DEMO_DATA.iterdir()):
            if path.suffix in (".json", ".xml"):
                (Path(moved) / path.name).write_text(
                    moved_to_today(path.read_text(encoding="utf-8"), DEMO_TODAY),
                    encoding="utf-8")
        ingest_files(db, settings, [Path(moved)], progress=False)
    matcher = Matcher()
    with db.transaction() as conn:
        for row in conn.execute("SELECT id FROM tenders ORDER BY id").fetchall():
            matcher.match_tender(conn, row["id"])
    db.close()


def seed_formation() -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from formation.sessions import schedule_session
    from formation.store.modules import upsert_module

    db = Database.from_settings(prepared_settings("formation")).open()
    start = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=20)).replace(
        hour=9, minute=0, second=0, microsecond=0)
    with db.transaction() as conn:
        conn.execute("TRUNCATE sessions, modules RESTART IDENTITY CASCADE")
        upsert_module(conn, "memoire-technique", "Rédiger un mémoire technique",
                      "Structurer une réponse convaincante.", 7)
        schedule_session(conn, {
            "module_code": "memoire-technique", "starts_at": start,
            "ends_at": start + timedelta(hours=7), "place": "Maison de l'ESS, Saint-Étienne",
            "trainer": "Julien Roche", "capacity": 2})
    db.close()


@pytest.fixture
def followed_session():
    """A session scheduled as formation's API schedules one: its workflow runs, on the
    stack's formation worker (so that it can be moved)."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from centrale.temporal import TemporalBridge
    from formation.sessions import schedule_session
    from formation.workflow_calls import start_workflow

    settings = prepared_settings("formation")
    db = Database.from_settings(settings).open()
    start = (datetime.now(ZoneInfo("Europe/Paris")) + timedelta(days=40)).replace(
        hour=9, minute=0, second=0, microsecond=0)
    with db.transaction() as conn:
        session = schedule_session(conn, {
            "module_code": "memoire-technique", "starts_at": start,
            "ends_at": start + timedelta(hours=7), "place": "Maison de l'ESS, Saint-Étienne",
            "trainer": "Julien Roche", "capacity": 5})
        start_workflow(TemporalBridge(settings), settings.task_queue, session)
    db.close()
    return session


def seed_accounts() -> None:
    db = Database.from_settings(prepared_settings("portail")).open()
    with db.transaction() as conn:
        conn.execute("TRUNCATE users, invitations, login_attempts RESTART IDENTITY CASCADE")
        for who, (email, name, role, structure_id) in PEOPLE.items():
            organisation = accounts.Organisation(*BUYERS[who]) if who in BUYERS else None
            accounts.create_user(conn, email, name, PASSWORD, role, structure_id, organisation)
    db.close()


def reset_accompagnement() -> None:
    db = Database.from_settings(prepared_settings("accompagnement")).open()
    with db.transaction() as conn:
        tables = [r["tablename"] for r in conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"
            " AND tablename NOT LIKE '\\_yoyo%' AND tablename NOT LIKE 'yoyo%'")]
        conn.execute("TRUNCATE " + ", ".join(tables) + " RESTART IDENTITY CASCADE")
    db.close()


def seed_structures(accompagnement_url: str) -> None:
    """Structures 1 and 2 of accompagnement's own demo data, through its API."""
    import json

    import requests

    from accompagnement.demo import DEMO_FILE
    from centrale.auth import service_token
    from centrale.testing import TEST_SECRET

    data = json.loads(Path(DEMO_FILE).read_text())
    headers = {"Authorization": f"Bearer {service_token(TEST_SECRET, 'tests')}"}
    for structure in data["structures"][:2]:
        body = {k: v for k, v in structure.items() if not k.startswith("_") and k != "documents"}
        response = requests.post(f"{accompagnement_url}/api/structures", json=body,
                                 headers=headers, timeout=10)
        assert response.status_code == 201, response.text
    # The advisor who logs in is an advisor of accompagnement too (same address).
    email, name, _role, _sid = PEOPLE["advisor"]
    response = requests.post(f"{accompagnement_url}/api/advisors", headers=headers, timeout=10,
                             json={"name": name, "email": email})
    assert response.status_code == 201, response.text


def formation_knows_the_structures() -> bool:
    """Formation's copy of the registry (its bus) holds the seeded structures 1 and 2."""
    db = Database.from_settings(prepared_settings("formation")).open()
    with db.transaction() as conn:
        known = conn.execute("SELECT count(*) AS n FROM structures WHERE id IN (1, 2)"
                             ).fetchone()["n"]
    db.close()
    return known == 2


class Mailbox:
    """What notifications sent for the portail, caught by a real SMTP server (aiosmtpd) on
    loopback."""

    def __init__(self) -> None:
        self.messages: list = []

    def to(self, address: str) -> list:
        """The messages sent to ``address`` (others reach the mailbox too: every event the
        platform's notifications are about is mailed to whom it concerns)."""
        from email.utils import parseaddr

        return [m for m in list(self.messages) if parseaddr(m["To"])[1] == address]

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 — aiosmtpd's name
        from email import message_from_bytes
        from email.policy import default

        self.messages.append(message_from_bytes(envelope.content, policy=default))
        return "250 OK"


MAILBOX = Mailbox()
STACK_URLS: dict[str, str] = {}  # each service's address, once the stack runs


@pytest.fixture
def mailbox():
    MAILBOX.messages.clear()
    return MAILBOX


@pytest.fixture(scope="session")
def stack():
    """Every service the portail's pages need, as real processes: veille (web, bus: relay and
    matching), accompagnement (web, worker, bus: its tender mirror), formation (web, worker)
    and notifications (web, bus: who is told what, worker: the sender)."""
    import requests

    from centrale.auth import service_token
    from centrale.testing import TEST_SECRET

    reset_accompagnement()
    seed_formation()
    seed_accounts()
    ports = {name: free_port() for name in ("veille", "accompagnement", "formation",
                                            "notifications", "portail")}
    urls = {f"CENTRALE_{name.upper()}_URL": f"http://127.0.0.1:{port}"
            for name, port in ports.items()}
    from aiosmtpd.controller import Controller

    smtp = Controller(MAILBOX, hostname="127.0.0.1", port=free_port())
    smtp.start()
    urls["CENTRALE_SMTP_PORT"] = str(smtp.port)
    env = {name: {**os.environ, **isolated_environment(name), **urls} for name in ports}
    bin_dir = Path(sys.executable).parent
    commands = [gunicorn_command(name, ports[name], env[name]) for name in ports]
    commands += [([str(bin_dir / "veille"), "bus"], env["veille"]),
                 ([str(bin_dir / "accompagnement"), "bus"], env["accompagnement"]),
                 ([str(bin_dir / "accompagnement"), "worker"], env["accompagnement"]),
                 ([str(bin_dir / "formation"), "worker"], env["formation"]),
                 # its copy of the registry (structure.registered): registrations need it
                 ([str(bin_dir / "formation"), "bus"], env["formation"]),
                 # its sender mails what notifications is asked to (the invitations)
                 ([str(bin_dir / "notifications"), "worker"], env["notifications"]),
                 # the events' emails (an alert, a buyer's need answered…) and the
                 # structures' contacts, to which the directory's messages are relayed
                 ([str(bin_dir / "notifications"), "bus"], env["notifications"])]
    STACK_URLS.update({name: f"http://127.0.0.1:{port}" for name, port in ports.items()})
    with processes(*commands):
        wait_until(lambda: all(http_ready(f"http://127.0.0.1:{port}/healthz")
                               for port in ports.values()), timeout=60)
        seed_structures(urls["CENTRALE_ACCOMPAGNEMENT_URL"])
        wait_until(formation_knows_the_structures, timeout=60,
                   message="structure.registered never reached formation")
        seed_veille()  # its events reach accompagnement's mirror through the real broker
        headers = {"Authorization": f"Bearer {service_token(TEST_SECRET, 'tests')}"}
        wait_until(lambda: requests.get(f"{urls['CENTRALE_ACCOMPAGNEMENT_URL']}/api/tenders/1",
                                        headers=headers, timeout=5).status_code == 200,
                   timeout=60, message="tenders never reached accompagnement")
        yield f"http://127.0.0.1:{ports['portail']}"
    smtp.stop()


@pytest.fixture(scope="session")
def stack_urls(stack) -> dict[str, str]:
    return STACK_URLS


@pytest.fixture(scope="session")
def demo_data(stack):
    """accompagnement's and formation's own demo data (as ``make up`` loads them), on this
    stack's databases and workers, once (veille holds its demo notices already; profiles are
    left to the stack's)."""
    from accompagnement.demo import load_demo as accompagnement_demo
    from centrale.testing import as_service, prepared_settings
    from formation.demo import load_demo as formation_demo

    accompagnement_demo(prepared_settings("accompagnement"), dry_run=False,
                        wait_for_tenders_s=5, profiles=False)
    registry = as_service(STACK_URLS["accompagnement"], "GET", "/api/structures",
                          params={"limit": 200})
    formation_demo(prepared_settings("formation"), dry_run=False,
                   structures={s["siret"]: s["id"] for s in registry})


@pytest.fixture
def portail_db():
    db = Database.from_settings(prepared_settings("portail")).open()
    yield db
    db.close()


@pytest.fixture
def fresh_attempts(portail_db):
    with portail_db.transaction() as conn:
        conn.execute("TRUNCATE login_attempts")


def csrf_of(html: str) -> str:
    import re

    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html).group(1)


@pytest.fixture
def csrf():
    return csrf_of


@pytest.fixture
def people():
    return PEOPLE


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def login(stack):
    import requests

    def log_in(who: str):
        session = requests.Session()
        token = csrf_of(session.get(f"{stack}/connexion").text)
        response = session.post(f"{stack}/connexion", data={
            "csrf_token": token, "email": PEOPLE[who][0], "password": PASSWORD},
            allow_redirects=False)
        assert response.status_code == 302, response.text[:500]
        return session

    return log_in


@pytest.fixture(scope="module")
def browser():
    """Module-scoped: Playwright's sync API keeps an event loop running in the main thread,
    which later tests calling asyncio.run() must not meet."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run",
                  "--disable-quic"])
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    """A fresh browser page that records console errors; the test fails on any."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.console_errors = errors
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-last.png"), full_page=True)
    context.close()
    assert errors == [], f"erreurs JavaScript dans la console : {errors}"


@pytest.fixture
def browser_login(stack):
    def log_in(page, who: str) -> None:
        page.goto(f"{stack}/connexion")
        page.get_by_label("Adresse électronique").fill(PEOPLE[who][0])
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(f"{stack}/")

    return log_in


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.fixture
def screenshot():
    return shot


# What a person should never read on a page: codes and values meant for programs.
RAW = {
    "a portail account's subject": re.compile(r"\buser:\d+"),
    "an ISO timestamp": re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?\b"),
    "an English status or code": re.compile(
        r"\b(?:won|lost|invited|accepted|declined|drafting|awaiting_result|diagnosis|"
        r"submission|abandoned|missed|confirmed|waitlisted|scheduled|held|cancelled|pending|"
        r"awarded|unsuccessful|sheltered_workshop|public_service_mission|"
        r"no_go|private_quote|mandataire_|cotraitant_\w+|sous_traitant)\b"),
    "a value nobody filled": re.compile(r"\b(?:None|null|undefined|NaN)\b|\{\{|\}\}"),
    "a number instead of a name": re.compile(r"\b(?:Session|Structure|structure n°) \d+\b"),
    "a blank in a list": re.compile(r"(?:: ,|, ,|\(\s*\))"),
}


def raw_code_in(text: str) -> list[str]:
    return [f"{what} : « {found.group(0)} »" for what, pattern in RAW.items()
            for found in [pattern.search(text)] if found]


def serious_violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    return [f"{v['id']} ({v['impact']}) : {v['help']} — {v['nodes'][0]['target']}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


def page_problems(page) -> list[str]:
    """What is wrong with the page shown: a raw code in its text or title, an accessibility
    violation axe-core calls serious or critical. [] for a page that reads well."""
    return (raw_code_in(page.locator("main").inner_text() + "\n" + page.title())
            + serious_violations(page))


@pytest.fixture
def reads_well():
    """``reads_well(page) == []``: the crawl's checks, for a page a test has just reached."""
    return page_problems
