"""What accompagnement does with other services' events (one queue per handler).

``tenders``: keep the mirror of veille's tenders; when a corrigendum moves a deadline, every
open case answering that tender takes the new date and its workflow is signalled to plan its
reminders again. The signal is sent inside the handler's transaction: if it fails, nothing is
kept and the event is retried; sent twice, it changes nothing (the same date).

``tender_results``: a tender awarded, unsuccessful or cancelled is kept on the mirror (its
cases' reminders stop), noted in each open case's journal and told to it with
``case.tender_closed``; the case stays open for its advisor to record the outcome or close it.
"""

from __future__ import annotations

import logging

from temporalio.service import RPCError, RPCStatusCode

from centrale.consumer import Handler
from centrale.events import Event
from centrale.settings import Settings
from centrale.temporal import TemporalBridge

from .store import alerts as alert_store
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


def mirror_tender(bridge: TemporalBridge):
    def handle(conn, event: Event) -> None:
        change = tender_store.apply_tender_event(conn, event.type, event.data)
        if not change.deadline_moved:
            return
        deadline = change.deadline_after.isoformat() if change.deadline_after else None
        version = event.data.get("version")
        reason = f"Date limite modifiée par la veille (version {version})." if version else None
        for case in case_store.open_cases_of_tender(conn, change.tender_id):
            case_store.update_case(conn, case["id"], {"deadline": change.deadline_after})
            if case["workflow_id"]:
                signal_deadline(bridge, case["workflow_id"], DeadlineChange(deadline, reason))
            log.info("case deadline moved", extra={"case_id": case["id"], "deadline": deadline})

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
    return [Handler("tenders", TENDER_EVENTS, mirror_tender(bridge)),
            Handler("tender_results", ("tender.awarded", "tender.cancelled"), tender_result)]
