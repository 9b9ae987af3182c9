"""Demo data for formation: the module catalogue and a few sessions in the coming weeks."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from centrale.db import Database
from centrale.settings import Settings
from centrale.temporal import TemporalBridge

from . import store
from .workflows import SessionInput, SessionWorkflow

PARIS = ZoneInfo("Europe/Paris")

MODULES = [
    ("comprendre-marches-publics", "Comprendre la commande publique",
     "Lire un avis, un règlement de consultation ; connaître les procédures et les seuils.",
     Decimal("7")),
    ("memoire-technique", "Rédiger un mémoire technique",
     "Structurer une réponse qui répond aux critères et valorise l'utilité sociale.",
     Decimal("7")),
    ("groupement", "Répondre en groupement solidaire",
     "Cotraitance, sous-traitance, rôle du mandataire, répartition des prestations.",
     Decimal("3.5")),
    ("dume", "Le DUME et le dossier administratif",
     "DC1, DC2, DUME, attestations : constituer un dossier complet et à jour.", Decimal("3.5")),
    ("chiffrage", "Chiffrer son offre",
     "Bordereau de prix, DPGF, coûts complets : un prix juste et défendable.", Decimal("7")),
]

SESSIONS = [  # module, days from today, start hour, hours, place, trainer, capacity
    ("comprendre-marches-publics", 14, 9, 7, "Maison de l'ESS, Saint-Étienne", "Claire Martin", 12),
    ("memoire-technique", 21, 9, 7, "Visioconférence", "Julien Roche", 10),
    ("groupement", 28, 14, 3, "Hôtel de ville, Le Puy-en-Velay", "Claire Martin", 8),
]


def load_demo(settings: Settings, dry_run: bool) -> str:
    if dry_run:
        return (f"formation (simulation) : {len(MODULES)} modules et {len(SESSIONS)} sessions "
                "seraient créés s'ils manquent.")
    db = Database.from_settings(settings).open()
    bridge = TemporalBridge(settings)
    created = 0
    today = datetime.now(PARIS).date()
    with db.transaction() as conn:
        for code, title, objectives, hours in MODULES:
            store.upsert_module(conn, code, title, objectives, hours)
    for code, days, hour, hours, place, trainer, capacity in SESSIONS:
        starts_at = datetime.combine(today + timedelta(days=days), time(hour), PARIS)
        with db.transaction() as conn:
            exists = conn.execute("SELECT 1 FROM sessions WHERE module_code = %s AND place = %s"
                                  " AND status = 'scheduled' AND starts_at > now()",
                                  (code, place)).fetchone()
            if exists:
                continue
            session = store.schedule_session(conn, {
                "module_code": code, "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=hours), "place": place,
                "trainer": trainer, "capacity": capacity})
            bridge.run(lambda client: client.start_workflow(
                SessionWorkflow.run,
                SessionInput(session_id=session["id"], ends_at=session["ends_at"].isoformat()),
                id=session["workflow_id"], task_queue=settings.task_queue))
            created += 1
    db.close()
    return f"formation : {len(MODULES)} modules à jour, {created} session(s) créée(s)."
