"""What pages show instead of numbers: structures' names, advisors, the person's own advisor
record — asked of accompagnement, once per request."""

from __future__ import annotations

from flask import g

from .clients import ApiError, call


def structure_names(ids) -> dict[int, str]:
    """{id: legal name} of the structures named (staff see them all; a member their own)."""
    wanted = sorted({int(i) for i in ids if i is not None})
    known = g.setdefault("structure_names", {})
    missing = [i for i in wanted if i not in known]
    for start in range(0, len(missing), 200):
        chunk = missing[start:start + 200]
        try:
            found = call("accompagnement", "GET", "/api/structures",
                         params={"id": chunk, "limit": 200})
        except ApiError:
            found = []
        known.update({s["id"]: s["legal_name"] for s in found})
    return {i: known.get(i, "structure inconnue") for i in wanted}


def structure_choices() -> list[tuple[str, str]]:
    """Every structure of the registry, by name (for a select)."""
    choices, offset = [], 0
    while True:
        page = call("accompagnement", "GET", "/api/structures",
                    params={"limit": 200, "offset": offset})
        choices += [(str(s["id"]), s["legal_name"]) for s in page]
        if len(page) < 200:
            return choices
        offset += 200


def advisors() -> list[dict]:
    if "advisors" not in g:
        g.advisors = call("accompagnement", "GET", "/api/advisors")
    return g.advisors


def advisor_choices(include_none: bool = True) -> list[tuple[str, str]]:
    choices = [(str(a["id"]), a["name"]) for a in advisors() if a["active"]]
    return ([("", "— personne —")] if include_none else []) + choices


def my_advisor_id() -> int | None:
    """The advisor record of the person logged in (same address), if they have one."""
    if not g.user.is_staff:
        return None
    email = g.user.email.lower()
    return next((a["id"] for a in advisors() if a["email"].lower() == email and a["active"]),
                None)
