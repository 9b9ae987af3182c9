"""What formation's routes need to declare who may call them (``centrale.web``'s decorators).

Services, admins and advisors see every structure's registrations; a member sees and changes
only those of their own structure. Another structure's registration answers 404 (nothing
tells it exists, ``registration_scope``); asking for another structure's list or figures
answers 403 (``scoped_structure``); sessions and modules are everyone's catalogue.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from flask_smorest import abort

from centrale.web import member_scope, resources

from ..sessions import with_derived
from ..store import registrations as registration_store
from ..store import sessions as session_store


def now() -> datetime:
    return datetime.now(timezone.utc)


def _registration_structure(registration_id: int, **_) -> int | None:
    with resources().db.transaction() as conn:
        return registration_store.structure_of(conn, registration_id)


registration_scope = member_scope(_registration_structure,
                                  "Inscription {registration_id} introuvable.")


def readable_registration(registration_id: int) -> dict[str, Any]:
    with resources().db.transaction() as conn:
        registration = registration_store.get_registration(conn, registration_id)
    if registration is None:
        abort(404, message=f"Inscription {registration_id} introuvable.")
    return registration


def existing_session(session_id: int) -> dict[str, Any]:
    with resources().db.transaction() as conn:
        session = with_derived(session_store.get_session(conn, session_id), now())
    if session is None:
        abort(404, message=f"Session {session_id} introuvable.")
    return session
