"""Who may see what, shared by formation's views.

Services, admins and advisors see every structure's registrations; a member sees and changes
only those of their own structure. Another structure's registration answers 404 (nothing
tells it exists); asking for another structure's list or figures answers 403.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask_smorest import abort

from centrale.web import current_identity, resources

from ..sessions import with_derived
from ..store import registrations as registration_store
from ..store import sessions as session_store


def now() -> datetime:
    return datetime.now(timezone.utc)


def scoped_structure(requested: int | None) -> int | None:
    """The structure a list is restricted to: the member's own, or what staff asked for."""
    identity = current_identity()
    if identity.is_staff:
        return requested
    if requested not in (None, identity.structure_id):
        abort(403, message="Vous ne pouvez consulter que les données de votre structure.")
    return identity.structure_id


def readable_registration(registration_id: int) -> dict[str, Any]:
    with resources().db.transaction() as conn:
        registration = registration_store.get_registration(conn, registration_id)
    if registration is None or not current_identity().may_access_structure(
            registration["structure_id"]):
        abort(404, message=f"Inscription {registration_id} introuvable.")
    return registration


def existing_session(session_id: int) -> dict[str, Any]:
    with resources().db.transaction() as conn:
        session = with_derived(session_store.get_session(conn, session_id), now())
    if session is None:
        abort(404, message=f"Session {session_id} introuvable.")
    return session
