"""Who may see what: staff (services, admins, advisors) see everything; a structure's member
sees their own structure's data only, and anything else answers 404 (revealing nothing)."""

from __future__ import annotations

import functools
from typing import Any

from flask_smorest import abort

from centrale.web import current_identity, require_staff, resources

from ..case_context import CaseContext, UnregisteredStructure, load_context
from ..store import cases as case_store
from ..store import structures as structure_store


def staff_only(view):
    """Refuse members (403) before their input is even read: put it above ``blp.arguments``."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        require_staff()
        return view(*args, **kwargs)

    return checked


def member_structure() -> int | None:
    """None for staff; the member's structure id otherwise."""
    identity = current_identity()
    return None if identity.is_staff else identity.structure_id


def scope_to_member(requested: int | None, what: str) -> int | None:
    """The structure filter a list may use: a member's own, whatever they asked (403 if other)."""
    own = member_structure()
    if own is None:
        return requested
    if requested not in (None, own):
        abort(403, message=f"Vous ne pouvez consulter que {what} de votre structure.")
    return own


def readable_structure(structure_id: int) -> dict[str, Any]:
    if not current_identity().may_access_structure(structure_id):
        abort(404, message=f"Structure {structure_id} introuvable.")
    with resources().db.transaction() as conn:
        structure = structure_store.get_structure(conn, structure_id)
    if structure is None:
        abort(404, message=f"Structure {structure_id} introuvable.")
    return structure


def readable_case(case_id: int, with_history: bool = False) -> dict[str, Any]:
    """The case, if the caller may see it; 404 otherwise (no hint that it exists)."""
    with resources().db.transaction(pipelined=True) as conn:
        case = case_store.get_case(conn, case_id)
        history = case_store.stage_history(conn, case_id) if with_history else None
    if case is None or not current_identity().may_access_structure(case["structure_id"]):
        abort(404, message=f"Dossier {case_id} introuvable.")
    if with_history:
        case["history"] = history
    return case


def field_errors(errors: dict[str, list[str]]) -> dict[str, Any]:
    """The domain's dotted field names ("address.postal_code") nested like marshmallow's."""
    nested: dict[str, Any] = {}
    for name, messages in errors.items():
        node = nested
        *parents, leaf = name.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node.setdefault(leaf, []).extend(messages)
    return nested


def invalid(errors: dict[str, Any], location: str = "json"):
    """422 with field errors, in the same shape as a marshmallow refusal."""
    abort(422, messages={location: errors}, message="Certains champs sont invalides.")


def case_context(conn, case: dict[str, Any]) -> CaseContext:
    """The case's structure and tender as the domain sees them; 409 for a case whose structure
    is not in the registry (opened before it existed)."""
    try:
        return load_context(conn, case)
    except UnregisteredStructure:
        abort(409, message=f"La structure n° {case['structure_id']} du dossier n'est pas "
                           "inscrite au registre : inscrivez-la d'abord.")
