"""What formation's events say about a session and a registration: the one place their fields
are written (a scheduled, recommended, cancelled or moved session, each registration event).

Pure: built from the rows the store reads; the use cases record them in the outbox.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from .invitation import invitation_path, session_invitation


def session_fields(session: dict[str, Any]) -> dict[str, Any]:
    """The session as every training event carries it (dates in ISO 8601, their offset kept)."""
    return {"session_id": session["id"], "module_code": session["module_code"],
            "module_title": session["module_title"],
            "starts_at": session["starts_at"].isoformat(),
            "ends_at": session["ends_at"].isoformat(), "place": session["place"],
            "video_url": session["video_url"], "trainer": session["trainer"],
            "invitation_path": invitation_path(session["id"])}


def people_fields(people: list[dict[str, Any]]) -> dict[str, Any]:
    """Everyone registered or waitlisted, and their structures (to tell each of them)."""
    return {"people": people, "structure_ids": sorted({p["structure_id"] for p in people})}


def registration_data(session: dict[str, Any], registration: dict[str, Any],
                      invitation_at: datetime | None = None, **extra: Any) -> dict[str, Any]:
    """A registration event's data; with ``invitation_at``, the session's invitation too."""
    data = {**session_fields(session), "registration_id": registration["id"],
            "structure_id": registration["structure_id"],
            "person": {"name": registration["name"], "email": registration["email"]}, **extra}
    if invitation_at is not None:
        data["ics"] = session_invitation(session, invitation_at)
    return data
