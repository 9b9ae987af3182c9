"""Demo data for accompagnement: a few cases at different stages, each with its workflow."""

from __future__ import annotations

from centrale.db import Database
from centrale.settings import Settings
from centrale.temporal import TemporalBridge

from . import store
from .workflows import CaseInput, CaseWorkflow, StageChange

DEMO_ADVISOR = "user:demo-conseiller"

# structure id, title, stages to walk through after the diagnosis
CASES = [
    (1, "Nettoyage des locaux de la médiathèque — Ville de Saint-Chamond", ["drafting"]),
    (2, "Entretien des espaces verts — Saint-Étienne Métropole", ["drafting", "review"]),
    (3, "Restauration scolaire, lot réservé — Le Puy-en-Velay", []),
]


def load_demo(settings: Settings, dry_run: bool) -> str:
    db = Database.from_settings(settings).open()
    with db.transaction() as conn:
        existing = {row["title"] for row in conn.execute("SELECT title FROM cases").fetchall()}
    missing = [case for case in CASES if case[1] not in existing]
    if dry_run:
        db.close()
        return f"accompagnement (simulation) : {len(missing)} dossier(s) seraient ouverts."
    bridge = TemporalBridge(settings)
    for structure_id, title, stages in missing:
        with db.transaction() as conn:
            case = store.open_case(conn, structure_id, None, title, DEMO_ADVISOR)
            bridge.run(lambda client: client.start_workflow(
                CaseWorkflow.run, CaseInput(case_id=case["id"]), id=case["workflow_id"],
                task_queue=settings.task_queue))
        for stage in stages:
            bridge.run(lambda client: client.get_workflow_handle(case["workflow_id"])
                       .execute_update(CaseWorkflow.change_stage,
                                       StageChange(target=stage, changed_by=DEMO_ADVISOR)),
                       timeout=30)
    db.close()
    return f"accompagnement : {len(missing)} dossier(s) ouvert(s)."
