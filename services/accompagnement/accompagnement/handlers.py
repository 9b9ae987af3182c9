"""What accompagnement does with other services' events (one queue per handler).

``tenders``: keep the mirror of veille's tenders; when a corrigendum moves a deadline, every
open case answering that tender takes the new date (``case.deadline_changed``: the calendars
follow) and its workflow is signalled to plan its reminders again. A case « Manqué » because
the old deadline passed is reopened at the stage it was missed in, with a new workflow, when
the deadline moves later and is still ahead (unless the structure opened another case for the
tender meanwhile). The signal is sent inside the handler's transaction: if it fails, nothing is
kept and the event is retried; sent twice, it changes nothing (the same date).

``tender_results``: a tender awarded, unsuccessful or cancelled is kept on the mirror (its
cases' reminders stop), noted in each open case's journal and told to it with
``case.tender_closed``; the case stays open for its advisor to record the outcome or close it.
"""

from __future__ import annotations

import logging
import uuid
from datetime import datetime

from temporalio.service import RPCError, RPCStatusCode

from centrale.consumer import Handler
from centrale.french import PARIS, long_datetime
from centrale.events import Event
from centrale.settings import Settings
from centrale.temporal import TemporalBridge

from .store import alerts as alert_store
from .case_records import CaseInput, CaseState, HistoryEntry, paris_iso
from .config import case_settings
from .store import cases as case_store
from .store import journal as journal_store
from .store import tenders as tender_store
from .workflows import CaseWorkflow, DeadlineChange

log = logging.getLogger(__name__)

TENDER_EVENTS = ("tender.published", "tender.updated")


def signal_deadline(bridge: TemporalBridge, workflow_id: str, change: DeadlineChange) -> bool:
    """Signal one case's workflow; False when it already ended (a closed case)."""

    async def send(client):
        await client.get_workflow_handle(workflow_id).signal(CaseWorkflow.deadline_changed, change)

    try:
        bridge.run(send)
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            return False
        raise
    return True


def reopen(conn, bridge: TemporalBridge, settings: Settings, case: dict, deadline: datetime) -> bool:
    """Reopen a missed case whose deadline moved later (see the module's docstring)."""
    if deadline <= datetime.now(PARIS) or (case["deadline"] and deadline <= case["deadline"]):
        return False
    if case_store.open_case_for(conn, case["structure_id"], case["tender_id"]) is not None:
        return False
    workflow_id = f"case-{case['id']}-{uuid.uuid4().hex[:12]}"
    reason = f"Rouvert : la date limite est reportée au {long_datetime(deadline)}."
    reopened = case_store.reopen_missed(conn, case, workflow_id, reason)
    if reopened is None:
        return False
    case_store.move_deadline(conn, reopened, deadline, reason)
    history = [HistoryEntry(row["from_stage"] or "", row["to_stage"], row["changed_by"],
                            row["reason"], paris_iso(row["changed_at"].isoformat()))
               for row in case_store.stage_history(conn, case["id"])]
    options = case_settings(settings)
    state = CaseState(case_id=case["id"], stage=reopened["stage"], history=history,
                      deadline=paris_iso(deadline.isoformat()),
                      reminder_days=sorted(set(case["reminder_days"] or options.reminder_days),
                                           reverse=True),
                      idle_days=dict(options.idle_days))

    async def start(client):
        await client.start_workflow(CaseWorkflow.run, CaseInput(case_id=case["id"], carried=state),
                                    id=workflow_id, task_queue=settings.task_queue)

    bridge.run(start)  # inside the handler's transaction: a failure keeps nothing
    log.info("missed case reopened", extra={"case_id": case["id"], "stage": reopened["stage"]})
    return True


def mirror_tender(bridge: TemporalBridge, settings: Settings):
    def handle(conn, event: Event) -> None:
        change = tender_store.apply_tender_event(conn, event.type, event.data)
        if not change.deadline_moved:
            return
        deadline = change.deadline_after.isoformat() if change.deadline_after else None
        version = event.data.get("version")
        reason = f"Date limite modifiée par la veille (version {version})." if version else None
        for case in case_store.open_cases_of_tender(conn, change.tender_id):
            case_store.move_deadline(conn, case, change.deadline_after, reason)
            if case["workflow_id"]:
                signal_deadline(bridge, case["workflow_id"], DeadlineChange(deadline, reason))
            log.info("case deadline moved", extra={"case_id": case["id"], "deadline": deadline})
        if change.deadline_after is not None:
            for case in case_store.missed_cases_of_tender(conn, change.tender_id):
                reopen(conn, bridge, settings, case, change.deadline_after)

    return handle


RESULT_NOTES = {
    "awarded": "La veille annonce l'attribution de l'appel d'offres.",
    "unsuccessful": "La veille annonce que l'appel d'offres est déclaré infructueux.",
    "cancelled": "La veille annonce que l'appel d'offres est déclaré sans suite.",
}


def tender_result(conn, event: Event) -> None:
    data = event.data
    tender_store.record_result(conn, data["tender_id"], data["title"], data["result"])
    told = set(data.get("structure_ids") or ())
    for case in case_store.open_cases_of_tender(conn, data["tender_id"]):
        if alert_store.tender_closed(conn, case, data["tender_id"], data["result"],
                                     structure_told=case["structure_id"] in told):
            journal_store.add_note(conn, case["id"], RESULT_NOTES[data["result"]], "veille")


def handlers(settings: Settings) -> list[Handler]:
    bridge = TemporalBridge(settings)
    return [Handler("tenders", TENDER_EVENTS, mirror_tender(bridge, settings)),
            Handler("tender_results", ("tender.awarded", "tender.cancelled"), tender_result)]
