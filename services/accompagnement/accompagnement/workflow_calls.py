"""The views' calls to a case's workflow: start it, change its stage, signal it, query it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from flask_smorest import abort
from temporalio.client import WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from centrale.web import resources

from .config import case_input, current_case_settings
from .domain.stages import Stage
from .store import cases as case_store
from .workflows import CaseActivity, CaseState, CaseWorkflow, StageChange

UPDATE_TIMEOUT_S = 15.0  # a restarted worker takes over after the 5 s sticky timeout
UNREACHABLE = (RPCStatusCode.UNAVAILABLE, RPCStatusCode.DEADLINE_EXCEEDED)


def _run(make_coroutine, timeout: float = 10.0):
    """Run on the Temporal bridge; 503 when Temporal or the case's worker does not answer."""
    try:
        return resources().temporal.run(make_coroutine, timeout=timeout)
    except TimeoutError:
        abort(503, message="Le workflow du dossier ne répond pas pour l'instant (aucun worker "
                           "disponible ?) : vérifiez l'état du dossier puis réessayez.")
    except RPCError as error:
        if error.status in UNREACHABLE:
            abort(503, message="Le serveur de workflows est injoignable : réessayez dans un "
                               "moment.")
        raise


def start(case: dict[str, Any]) -> None:
    """Start the case's workflow (call inside the transaction that opens the case)."""
    data = case_input(case, current_case_settings())
    queue = resources().settings.task_queue
    _run(lambda client: client.start_workflow(CaseWorkflow.run, data, id=case["workflow_id"],
                                              task_queue=queue))


def change_stage(case: dict[str, Any], change: StageChange) -> CaseState:
    """Run the ``change_stage`` update; 409 with the French reason when refused."""
    async def update(client):
        return await client.get_workflow_handle(case["workflow_id"]).execute_update(
            CaseWorkflow.change_stage, change)

    try:
        return _run(update, timeout=UPDATE_TIMEOUT_S)
    except WorkflowUpdateFailedError as error:
        abort(409, message=getattr(error.cause, "message", None) or str(error.cause))
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            abort(409, message="Le dossier est clos : son étape ne change plus.")
        raise


def signal(case: dict[str, Any], signal_method, argument) -> bool:
    """Signal the case's workflow; False when it has already ended (a closed case)."""
    if not case.get("workflow_id"):
        return False

    async def send(client):
        await client.get_workflow_handle(case["workflow_id"]).signal(signal_method, argument)

    try:
        _run(send)
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


def activity(case: dict[str, Any], subject: str) -> None:
    """Work on an open case (a note, hours, its diagnosis, its checklist, an assignment): its
    idle-stage escalation starts again."""
    if not Stage(case["stage"]).is_terminal:
        signal(case, CaseWorkflow.activity_recorded, CaseActivity(subject))


def structure_activity(structure_id: int, subject: str) -> None:
    """A change to a structure's vault is work on each of its open cases."""
    with resources().db.transaction() as conn:
        cases = case_store.list_cases(conn, structure_id, None, 200, 0, open_only=True)
    for case in cases:
        activity(case, subject)


def live_state(case: dict[str, Any]) -> dict[str, Any] | None:
    """The workflow's own state (stage, history, planned reminders), or None if unreachable."""
    async def query(client):
        return await client.get_workflow_handle(case["workflow_id"]).query(CaseWorkflow.get_state)

    try:
        return asdict(_run(query))
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
