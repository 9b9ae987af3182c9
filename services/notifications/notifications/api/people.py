"""Whose notifications a request is about: a person is the email claim of their token.

A member or an advisor reads their own feed and preferences; staff (services, admins,
advisors) may read anyone's by naming them (``?email=``). Changing someone else's preferences
is for admins and services only (an advisor asks the person, or an admin).
"""

from __future__ import annotations

from flask_smorest import abort

from centrale.web import current_identity

from ..domain.recipients import normalize_email


def own_email() -> str:
    identity = current_identity()
    if identity.email:
        return normalize_email(identity.email)
    if identity.is_staff:
        abort(422, message="Précisez la personne concernée (paramètre email) : votre jeton ne "
                           "porte pas d'adresse électronique.",
              messages={"query": {"email": ["Champ requis pour ce jeton."]}})
    abort(403, message="Votre jeton ne porte pas d'adresse électronique : impossible de savoir "
                       "quelles notifications sont les vôtres.")


def person_to_read(requested: str | None) -> str:
    """The person whose data this request reads: oneself, or anyone for staff."""
    identity = current_identity()
    if requested:
        wanted = normalize_email(requested)
        if identity.is_staff or (identity.email and normalize_email(identity.email) == wanted):
            return wanted
        abort(403, message="Vous ne pouvez consulter que vos propres notifications.")
    return own_email()


def person_to_change(requested: str | None) -> str:
    """The person whose preferences this request changes: oneself, or anyone for admins."""
    identity = current_identity()
    if requested:
        wanted = normalize_email(requested)
        if identity.role in ("admin", "service") or (
                identity.email and normalize_email(identity.email) == wanted):
            return wanted
        abort(403, message="Seuls les administrateurs peuvent changer les préférences d'une "
                           "autre personne.")
    return own_email()
