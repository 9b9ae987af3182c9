"""Starting and signalling session workflows from synchronous code (views, demo loader)."""

from __future__ import annotations

import logging
from typing import Any

from temporalio.service import RPCError, RPCStatusCode

from centrale.temporal import TemporalBridge

from .workflows import Cancellation, SessionInput, SessionMove, SessionWorkflow

log = logging.getLogger(__name__)


def session_input(session: dict[str, Any]) -> SessionInput:
    return SessionInput(session_id=session["id"], ends_at=session["ends_at"].isoformat(),
                        starts_at=session["starts_at"].isoformat(),
                        close_registrations_hours=float(session["registration_close_hours"]))


def start_workflow(bridge: TemporalBridge, task_queue: str, session: dict[str, Any]) -> None:
    bridge.run(lambda client: client.start_workflow(
        SessionWorkflow.run, session_input(session), id=session["workflow_id"],
        task_queue=task_queue))


def _signal(bridge: TemporalBridge, workflow_id: str, signal, *args) -> bool:
    """Signal a running session workflow; False if it no longer runs (or never did)."""
    try:
        bridge.run(lambda client: client.get_workflow_handle(workflow_id).signal(signal, *args))
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            log.info("session workflow not running", extra={"workflow_id": workflow_id})
            return False
        raise
    return True


def signal_cancel(bridge: TemporalBridge, session: dict[str, Any], reason: str) -> bool:
    return _signal(bridge, session["workflow_id"], SessionWorkflow.cancel,
                   Cancellation(reason=reason))


def signal_attendance(bridge: TemporalBridge, session: dict[str, Any]) -> bool:
    """Best effort: the attendance is already saved, and without the signal the workflow
    asks for the survey anyway once its wait (72 h) is over."""
    try:
        return _signal(bridge, session["workflow_id"], SessionWorkflow.attendance_recorded)
    except Exception as exc:  # Temporal unreachable: not worth failing the saved sheet
        log.warning("attendance signal not delivered",
                    extra={"workflow_id": session["workflow_id"], "error": repr(exc)})
        return False


def reschedulable(bridge: TemporalBridge, session: dict[str, Any]) -> bool | None:
    """Whether the session's workflow plans again when moved; None if it no longer runs."""
    try:
        progress = bridge.run(lambda client: client.get_workflow_handle(
            session["workflow_id"]).query(SessionWorkflow.get_progress))
    except RPCError as exc:
        if exc.status == RPCStatusCode.NOT_FOUND:
            return None
        raise
    return progress.reschedulable and progress.status == "scheduled"


def signal_reschedule(bridge: TemporalBridge, session: dict[str, Any]) -> bool:
    return _signal(bridge, session["workflow_id"], SessionWorkflow.reschedule, SessionMove(
        starts_at=session["starts_at"].isoformat(), ends_at=session["ends_at"].isoformat()))
