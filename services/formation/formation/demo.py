"""Demo data for formation: the catalogue, sessions in the coming weeks (one of them full,
with a waitlist), and a session held last month with its attendance and survey answers so
that the figures and certificates have something to show.

Idempotent: a module is updated in place; a session is created only when no session of the
same module, place and trainer exists in the same state (upcoming, or held in the past); a
person already registered to a session is not registered again. People belong to
accompagnement's demo structures, named by SIRET and looked up in its registry (its demo runs
first): no structure number is assumed.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from time import monotonic, sleep

import psycopg
from psycopg.rows import dict_row

from centrale.db import Database
from centrale.settings import Settings
from centrale.temporal import TemporalBridge

from centrale.french import PARIS
from centrale.refusals import Refused

from .domain.catalogue import CATALOGUE
from .registrations import register
from .sessions import schedule_session
from .store import modules as module_store
from .store import sessions as session_store
from .store import structures as structure_store
from .workflow_calls import start_workflow

DEMO_ACTOR = "user:demo-formation"
# accompagnement's demo structures (demo_data/loire_sud.json), by SIRET.
REGIE, RELAIS, ESAT = "42100011800016", "42100022500019", "43100044700018"

# module, days from today, start hour, hours, place, video link, trainer, capacity
SESSIONS = [
    ("comprendre-marches-publics", 14, 9, 8, "Maison de l'ESS, 4 rue Balay, Saint-Étienne",
     None, "Claire Martin", 12),
    ("memoire-technique", 21, 9, 8, "À distance (visioconférence)",
     "https://visio.centrale-marches-solidaires.example/memoire-technique", "Julien Roche", 10),
    ("groupement", 28, 14, 3.5, "Hôtel de ville, Le Puy-en-Velay", None, "Claire Martin", 4),
    ("dume", 35, 9, 3.5, "Maison de l'ESS, 4 rue Balay, Saint-Étienne", None,
     "Sophie Giraud", 8),
    ("chiffrage", 42, 9, 8, "Pépinière d'entreprises, Firminy", None, "Julien Roche", 10),
]

# (structure's SIRET, name, email) registered to the « groupement » session of 4 seats: the last
# two wait.
GROUPEMENT_PEOPLE = [
    (REGIE, "Amélie Durand", "amelie.durand@ressourcerie-ondaine.example.org"),
    (RELAIS, "Karim Benali", "karim.benali@jardins-du-forez.example.org"),
    (ESAT, "Élodie Vacher", "elodie.vacher@esat-velay.example.org"),
    (REGIE, "Thomas Faure", "thomas.faure@ressourcerie-ondaine.example.org"),
    (RELAIS, "Nadia Rousset", "nadia.rousset@jardins-du-forez.example.org"),
    (ESAT, "Lucas Moulin", "lucas.moulin@esat-velay.example.org"),
]
DISCOVERY_PEOPLE = [
    (REGIE, "Amélie Durand", "amelie.durand@ressourcerie-ondaine.example.org"),
    (ESAT, "Julie Chapuis", "julie.chapuis@esat-velay.example.org"),
]

# A session held 30 days ago: (structure, name, email, attended, hours, score, comment)
PAST_SESSION = ("comprendre-marches-publics", -30, 9, 8, "Maison de l'ESS, 4 rue Balay, "
                "Saint-Étienne", None, "Claire Martin", 12)
PAST_PEOPLE = [
    (REGIE, "Amélie Durand", "amelie.durand@ressourcerie-ondaine.example.org", True, None, 5,
     "Très concret, les exemples d'avis du territoire aident beaucoup."),
    (RELAIS, "Karim Benali", "karim.benali@jardins-du-forez.example.org", True, None, 4,
     "Bien, un peu dense l'après-midi."),
    (RELAIS, "Sarah Perrin", "sarah.perrin@jardins-du-forez.example.org", True, Decimal("3.5"),
     None, None),
    (ESAT, "Élodie Vacher", "elodie.vacher@esat-velay.example.org", False, None, None, None),
]


def _starts_at(today: date, days: int, hour: int) -> datetime:
    return datetime.combine(today + timedelta(days=days), time(hour), PARIS)


def _existing_session(conn: psycopg.Connection, spec, held: bool) -> dict | None:
    code, _days, _hour, _hours, place, _video, trainer, _capacity = spec
    condition = ("s.status = 'held' AND s.starts_at < now()" if held
                 else "s.status = 'scheduled' AND s.starts_at > now()")
    row = conn.execute(
        f"SELECT s.id FROM sessions s WHERE s.module_code = %s AND s.place = %s"
        f" AND s.trainer = %s AND {condition} ORDER BY s.starts_at LIMIT 1",
        (code, place, trainer)).fetchone()
    return session_store.get_session(conn, row["id"]) if row else None


def _session_values(spec, today: date) -> dict:
    code, days, hour, hours, place, video, trainer, capacity = spec
    starts_at = _starts_at(today, days, hour)
    return {"module_code": code, "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=hours), "place": place, "video_url": video,
            "trainer": trainer, "capacity": capacity}


def _plan(settings: Settings) -> dict[str, int]:
    """What a load would create, read on one short-lived connection, writing nothing."""
    try:
        with psycopg.connect(settings.db_dsn, connect_timeout=5, row_factory=dict_row,
                             options="-c timezone=Europe/Paris") as conn:
            sessions = sum(_existing_session(conn, spec, held=False) is None
                           for spec in SESSIONS)
            past = _existing_session(conn, PAST_SESSION, held=True) is None
    except psycopg.Error:  # no database or no tables yet: everything would be created
        sessions, past = len(SESSIONS), True
    return {"sessions": sessions, "past": int(past)}


def structures_by_siret(settings: Settings) -> dict[str, int]:
    """{SIRET: structure id} of accompagnement's registry, through its API."""
    import requests

    from centrale.auth import service_token

    headers = {"Authorization": f"Bearer {service_token(settings.require_token_secret(), 'formation')}"}
    url = settings.service_urls["accompagnement"].rstrip("/") + "/api/structures"
    found, offset = {}, 0
    try:
        while True:
            page = requests.get(url, params={"limit": 200, "offset": offset}, headers=headers,
                                timeout=10)
            page.raise_for_status()
            found.update({s["siret"]: s["id"] for s in page.json()})
            if len(page.json()) < 200:
                return found
            offset += 200
    except requests.RequestException:
        return found


def load_demo(settings: Settings, dry_run: bool,
              structures: dict[str, int] | None = None) -> str:
    """``structures``: {SIRET: id} when known (the tests); else asked of accompagnement."""
    if dry_run:
        plan = _plan(settings)
        return (f"formation (simulation) : {len(CATALOGUE)} modules mis à jour, "
                f"{plan['sessions']} session(s) à venir et {plan['past']} session passée "
                "seraient créées, avec leurs inscriptions (dont une liste d'attente).")
    ids = structures if structures is not None else structures_by_siret(settings)
    db = Database.from_settings(settings).open()
    try:
        return _load(settings, db, known_to_formation(db, ids))
    finally:
        db.close()


def known_to_formation(db: Database, ids: dict[str, int], wait_s: float = 30.0
                       ) -> dict[str, int]:
    """The structures of ``ids`` formation's copy of the registry holds, a registration being
    refused for any other: accompagnement's structure.registered reaches it over the bus
    (formation's bus process), within moments of accompagnement's demo."""
    deadline = monotonic() + wait_s
    while True:
        with db.transaction() as conn:
            known = {siret: structure_id for siret, structure_id in ids.items()
                     if structure_store.is_known(conn, structure_id)}
        if len(known) == len(ids) or monotonic() > deadline:
            return known
        sleep(0.5)


def _load(settings: Settings, db: Database, ids: dict[str, int]) -> str:
    bridge = TemporalBridge(settings)
    today = datetime.now(PARIS).date()
    now = datetime.now(timezone.utc)
    with db.transaction() as conn:
        for module in CATALOGUE:
            module_store.upsert_module(conn, module.code, module.title, module.objectives,
                                       module.duration_h)
    created = 0
    sessions: dict[str, dict] = {}
    for spec in SESSIONS:
        with db.transaction() as conn:
            session = _existing_session(conn, spec, held=False)
            if session is None:
                session = schedule_session(conn, _session_values(spec, today))
                start_workflow(bridge, settings.task_queue, session)
                created += 1
        sessions[spec[0]] = session

    registered = 0
    for code, people in (("groupement", GROUPEMENT_PEOPLE),
                         ("comprendre-marches-publics", DISCOVERY_PEOPLE)):
        for siret, name, email in people:
            if siret not in ids:
                continue  # that structure is not in accompagnement's registry
            structure_id = ids[siret]
            try:
                with db.transaction() as conn:
                    register(conn, sessions[code]["id"],
                             {"structure_id": structure_id, "name": name, "email": email},
                             DEMO_ACTOR, now)
                registered += 1
            except Refused:
                pass  # already registered (a second run)

    past_created = _load_past_session(db, today, ids)
    return (f"formation : {len(CATALOGUE)} modules à jour, {created} session(s) à venir "
            f"créée(s), {registered} inscription(s) ajoutée(s), "
            f"{past_created} session passée créée (présences et questionnaires).")


def _load_past_session(db: Database, today: date, ids: dict[str, int]) -> int:
    """A session of last month, written as history (no workflow, no registration events)."""
    with db.transaction() as conn:
        if _existing_session(conn, PAST_SESSION, held=True) is not None:
            return 0
        values = _session_values(PAST_SESSION, today)
        session = schedule_session(conn, values)
        conn.execute("UPDATE sessions SET status = 'held', registrations_closed_at = %s,"
                     " survey_requested_at = %s WHERE id = %s",
                     (values["starts_at"] - timedelta(hours=24), values["ends_at"],
                      session["id"]))
        for siret, name, email, attended, hours, score, comment in PAST_PEOPLE:
            if siret not in ids:
                continue
            structure_id = ids[siret]
            conn.execute(
                "INSERT INTO registrations (session_id, structure_id, person_name, email,"
                " status, registered_by, created_at, confirmed_at, attended, attended_hours,"
                " attendance_recorded_at, survey_score, survey_comment, surveyed_at)"
                " VALUES (%s, %s, %s, %s, 'confirmed', %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (session["id"], structure_id, name, email, DEMO_ACTOR,
                 values["starts_at"] - timedelta(days=20), values["starts_at"] - timedelta(days=20),
                 attended, (hours or Decimal(session["duration_h"])) if attended else None,
                 values["ends_at"], score, comment,
                 values["ends_at"] + timedelta(days=1) if score else None))
    return 1
