"""What formation does with other services' events (one bus queue per handler)."""

from __future__ import annotations

from centrale.consumer import Handler
from centrale.event_schemas import DiagnosisCompleted

from .store import recommendations
from .store import structures
from .domain.catalogue import normalise_codes


def record_recommendations(conn, event) -> None:
    """``diagnosis.completed``: remember the modules recommended to the structure."""
    data = DiagnosisCompleted().load(event.data)
    codes = normalise_codes(data["recommended_modules"])
    if codes:
        recommendations.record_recommendations(conn, data["structure_id"], data["case_id"],
                                               codes, event.occurred_at)


def keep_structure(conn, event) -> None:
    """``structure.registered`` / ``.updated``: the registry's structures, as registrations
    need them."""
    structures.keep_structure(conn, event.data)


def handlers(settings) -> list[Handler]:
    return [Handler("recommendations", ("diagnosis.completed",), record_recommendations),
            Handler("structures", ("structure.registered", "structure.updated"),
                    keep_structure)]
