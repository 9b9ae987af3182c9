"""Formation's own settings, read once from the platform settings' ``CENTRALE_*`` options.

- ``CENTRALE_FORMATION_CLOSE_HOURS``: how many hours before its start a new session closes its
  registrations unless told otherwise (24; a session may set its own).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from centrale.settings import Settings, SettingsError

from .domain.registrations import DEFAULT_CLOSE_HOURS

CLOSE_HOURS = "CENTRALE_FORMATION_CLOSE_HOURS"


@dataclass(frozen=True)
class FormationConfig:
    close_hours: Decimal = DEFAULT_CLOSE_HOURS


def config_from(settings: Settings) -> FormationConfig:
    raw = settings.option("FORMATION_CLOSE_HOURS", "")
    if not raw:
        return FormationConfig()
    try:
        hours = Decimal(raw)
    except InvalidOperation:
        hours = Decimal(-1)
    if not Decimal(0) <= hours <= Decimal(720):
        raise SettingsError(f"{CLOSE_HOURS} doit être un nombre d'heures de 0 à 720, reçu {raw!r}")
    return FormationConfig(close_hours=hours)


def current_config() -> FormationConfig:
    """The configuration of the app serving this request (read once, by ``create_app``)."""
    from flask import current_app

    return current_app.extensions["formation"]
