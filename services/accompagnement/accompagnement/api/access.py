"""What accompagnement's routes need beside centrale.web's access decorators: staff
(services, admins, advisors) see everything; a structure's member sees their own structure's
data only, and anything else answers 404 (revealing nothing): ``case_scope`` for the routes
of one case, ``structure_in_path`` for ``/structures/<id>/…``."""

from __future__ import annotations

from typing import Any

from flask_smorest import abort

from centrale.web import member_scope, resources

from ..case_context import CaseContext, UnregisteredStructure, load_context
from ..store import cases as case_store
from ..store import structures as structure_store


def _case_structure(case_id: int, **_) -> int | None:
    with resources().db.transaction() as conn:
        case = case_store.get_case(conn, case_id)
    return None if case is None else case["structure_id"]


case_scope = member_scope(_case_structure, "Dossier {case_id} introuvable.")


def readable_structure(structure_id: int) -> dict[str, Any]:
    with resources().db.transaction() as conn:
        structure = structure_store.get_structure(conn, structure_id)
    if structure is None:
        abort(404, message=f"Structure {structure_id} introuvable.")
    return structure


def readable_case(case_id: int, with_history: bool = False) -> dict[str, Any]:
    """The case (404 when there is none; who may see it is the route's ``case_scope``)."""
    with resources().db.transaction(pipelined=True) as conn:
        case = case_store.get_case(conn, case_id)
        history = case_store.stage_history(conn, case_id) if with_history else None
    if case is None:
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
