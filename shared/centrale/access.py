"""Who may call a route, declared once per route by one of these decorators (exported by
``centrale.web``), used the same way by every service:

- :func:`staff_only` — services, admins and advisors; anyone else gets 403;
- :func:`member_scope` — a route about one structure's resource (a case, a profile, a
  registration, ``/structures/<id>/…``): staff, and the members of the structure it belongs
  to; anyone else — like anyone asking for what does not exist — gets 404, revealing nothing;
- :func:`open_to_members` — staff and structures' members; what a member sees or changes is
  their own structure's (the view narrows lists, and refuses with 403 a filter or a body
  naming another structure). A buyer or a facilitator gets 403: such a view reads « every
  structure » for whoever is not a member, which only staff may;
- :func:`open_to_signed_in` — anyone authenticated, whatever their role: public information
  (tenders, awards, the public directory) or one's own (a feed, by the token's email);
- :func:`open_to_roles` — staff and the roles named (``@open_to_roles("facilitateur")``);
  anyone else gets 403;
- :func:`buyer_scope` — one buyer's resource (a need, its answers): staff, and the buyer
  who owns it (the token's subject); anyone else gets 404.

Each goes above ``blp.arguments`` so that it runs before the request's body and query are
read: a member gets 403 (or 404), never a 422 about a body they may not send. Each also writes
what it enforces into the OpenAPI document: the 401 and 403/404 responses, and ``x-access``
(``staff``, ``member-scope``, ``members``, ``signed-in``, ``roles:<role>,…``,
``buyer-scope``), which ``tests/test_access_walk.py`` walks.
"""

from __future__ import annotations

import functools
from copy import deepcopy
from typing import Any, Callable

from flask import g
from flask_smorest import abort

ACCESS = "x-access"
STAFF_ONLY_MESSAGE = "Cette action est réservée aux conseillers de la Centrale."
MEMBERS_MESSAGE = "Cette action est réservée aux structures et aux conseillers de la Centrale."
ROLES_MESSAGE = "Cette action n'est pas ouverte à votre rôle."

_UNAUTHORIZED = {"description": "Jeton absent, invalide ou expiré (problem+json)."}
_FORBIDDEN = {"description": "Réservé aux conseillers de la Centrale (problem+json)."}
_NOT_YOUR_ROLE = {"description": "Pas ouvert à votre rôle (problem+json)."}
_HIDDEN = {"description": "Introuvable, ou d'une autre structure que la vôtre (problem+json)."}


def _documented(wrapper: Callable, access: str, responses: dict[str, dict]) -> Callable:
    apidoc = deepcopy(getattr(wrapper, "_apidoc", {}))
    manual = apidoc.setdefault("manual_doc", {})
    if ACCESS in manual:
        raise TypeError(f"{wrapper.__qualname__}: access declared twice "
                        f"({manual[ACCESS]}, then {access}); one decorator per route")
    manual[ACCESS] = access
    manual.setdefault("responses", {}).update(deepcopy(responses))
    wrapper._apidoc = apidoc
    return wrapper


def staff_only(view: Callable) -> Callable:
    """Services, admins and advisors only: a member is refused (403) before their input is
    read."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        if not g.identity.is_staff:
            abort(403, message=STAFF_ONLY_MESSAGE)
        return view(*args, **kwargs)

    return _documented(checked, "staff", {"401": _UNAUTHORIZED, "403": _FORBIDDEN})


def member_scope(structure_of: Callable[..., int | None], not_found: str) -> Callable:
    """A route about one structure's resource. ``structure_of(**path)`` says which structure
    the resource of the path belongs to (None: it does not exist); ``not_found`` is the 404's
    message, formatted with the path (« Dossier {case_id} introuvable. »).

    Staff pass whatever the answer (the view says 404 itself when it finds nothing); a member
    passes for their own structure's resource only."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args, **kwargs):
            identity = g.identity
            if not identity.is_staff:
                owner = structure_of(**kwargs)
                if owner is None or not identity.may_access_structure(owner):
                    abort(404, message=not_found.format(**kwargs))
            return view(*args, **kwargs)

        return _documented(checked, "member-scope", {"401": _UNAUTHORIZED, "404": _HIDDEN})

    return decorate


def structure_in_path(not_found: str = "Structure {structure_id} introuvable.") -> Callable:
    """:func:`member_scope` for ``/structures/<structure_id>/…``: the path names the owner."""
    return member_scope(lambda structure_id, **_: structure_id, not_found)


def open_to_members(view: Callable) -> Callable:
    """Staff and structures' members; the view keeps a member to their structure's data."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        identity = g.identity
        if not (identity.is_staff or identity.is_member):
            abort(403, message=MEMBERS_MESSAGE)
        return view(*args, **kwargs)

    return _documented(checked, "members", {"401": _UNAUTHORIZED, "403": _NOT_YOUR_ROLE})


def open_to_signed_in(view: Callable) -> Callable:
    """Anyone authenticated: public information, or what the token's email makes one's own."""

    @functools.wraps(view)
    def checked(*args, **kwargs):
        return view(*args, **kwargs)

    return _documented(checked, "signed-in", {"401": _UNAUTHORIZED})


def open_to_roles(*roles: str) -> Callable:
    """Staff and the roles named; anyone else gets 403 before their input is read."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args, **kwargs):
            identity = g.identity
            if not (identity.is_staff or identity.role in roles):
                abort(403, message=ROLES_MESSAGE)
            return view(*args, **kwargs)

        return _documented(checked, "roles:" + ",".join(roles),
                           {"401": _UNAUTHORIZED, "403": _NOT_YOUR_ROLE})

    return decorate


def buyer_scope(owner_of: Callable[..., str | None], not_found: str) -> Callable:
    """A route about one buyer's resource. ``owner_of(**path)`` says whose it is (the subject
    of the buyer's token, None: it does not exist); ``not_found`` is the 404's message.
    Staff pass; the owning buyer passes; anyone else gets 404."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def checked(*args, **kwargs):
            identity = g.identity
            if not identity.is_staff:
                owner = owner_of(**kwargs) if identity.is_buyer else None
                if owner is None or owner != identity.subject:
                    abort(404, message=not_found.format(**kwargs))
            return view(*args, **kwargs)

        return _documented(checked, "buyer-scope", {"401": _UNAUTHORIZED, "404": _HIDDEN})

    return decorate


def member_structure() -> int | None:
    """None for staff (every structure); a member's own structure otherwise. Anyone else (a
    buyer, a facilitator) is refused: « every structure » is for staff only."""
    identity = g.identity
    if identity.is_staff:
        return None
    if not identity.is_member:
        abort(403, message=MEMBERS_MESSAGE)
    return identity.structure_id


def scoped_structure(requested: int | None, what: str = "les données") -> int | None:
    """The structure a list of an ``open_to_members`` route is restricted to: what staff asked
    for; a member's own (403 if they asked for another's)."""
    own = member_structure()
    if own is None:
        return requested
    if requested not in (None, own):
        abort(403, message=f"Vous ne pouvez consulter que {what} de votre structure.")
    return own


def route_access(operation: dict[str, Any]) -> str | None:
    """What an OpenAPI operation declares (``staff``, ``member-scope``, ``members``,
    ``signed-in``, ``roles:…``, ``buyer-scope``)."""
    return operation.get(ACCESS)
