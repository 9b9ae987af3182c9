"""Where the portail shows what a notification is about: the « Ouvrir dans la Centrale » link
of its email and of its feed item. A path of the portail (its pages ask for a login first and
keep each structure to its own data); the address people reach the portail at is
configuration (``CENTRALE_NOTIFICATIONS_PORTAIL_URL``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

CASE_EVENTS = ("diagnosis.completed", "consortium.answered")


def portail_path(event_type: str, data: Mapping[str, Any]) -> str | None:
    def number(key: str) -> int | None:
        value = data.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    if (event_type.startswith("tender.") or event_type == "clause.subcontracting_offered") \
            and number("tender_id"):
        return f"/appels-d-offres/{number('tender_id')}"
    if (event_type.startswith("case.") or event_type in CASE_EVENTS) and number("case_id"):
        return f"/dossiers/{number('case_id')}"
    if event_type == "need.decided":
        return "/nos-reponses"
    if event_type.startswith("need.") and number("need_id"):
        return f"/besoins/{number('need_id')}"
    if event_type == "structure.document_expiring":
        return "/documents"
    if event_type == "training.survey_requested" and number("registration_id"):
        return f"/inscriptions/{number('registration_id')}/avis"
    if event_type.startswith("training.") and number("session_id"):
        return f"/formations/{number('session_id')}"
    return None  # a consortium invitation: the lead's case is not the partner's to see
