"""Accompagnement's own settings, read once from the platform settings' ``CENTRALE_*`` options.

- ``CENTRALE_ACCOMPAGNEMENT_REMINDER_DAYS``: days before a deadline when reminders go out,
  e.g. ``15,7,2,1`` (the default); a case may set its own.
- ``CENTRALE_ACCOMPAGNEMENT_IDLE_DAYS``: days a stage may stay idle before the case is
  escalated, e.g. ``diagnosis=7,drafting=10,review=5,submission=2,awaiting_result=60``
  (the defaults; a stage not named keeps its default, ``0`` disables it).
- ``CENTRALE_ACCOMPAGNEMENT_DOCUMENT_MAX_BYTES``: largest file the document vault keeps
  (default 1 Mio).
- ``CENTRALE_ACCOMPAGNEMENT_DOCUMENT_WARNING_DAYS``: how many days before its end of validity
  a vault document is announced as to renew (30).
- ``CENTRALE_ACCOMPAGNEMENT_DOCUMENT_WARNING_TIME``: when the daily announcement runs, Paris
  time (06:30).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import time

from centrale.settings import Settings, SettingsError

from .domain.reminders import DEFAULT_IDLE_LIMIT_DAYS, DEFAULT_REMINDER_OFFSETS_DAYS
from .domain.stages import Stage
from .workflows import CaseInput

REMINDER_DAYS = "CENTRALE_ACCOMPAGNEMENT_REMINDER_DAYS"
IDLE_DAYS = "CENTRALE_ACCOMPAGNEMENT_IDLE_DAYS"
DOCUMENT_MAX_BYTES = "CENTRALE_ACCOMPAGNEMENT_DOCUMENT_MAX_BYTES"
WARNING_DAYS = "CENTRALE_ACCOMPAGNEMENT_DOCUMENT_WARNING_DAYS"
WARNING_TIME = "CENTRALE_ACCOMPAGNEMENT_DOCUMENT_WARNING_TIME"


@dataclass(frozen=True)
class CaseSettings:
    reminder_days: tuple[int, ...] = DEFAULT_REMINDER_OFFSETS_DAYS
    idle_days: dict[str, int] = field(
        default_factory=lambda: {s.value: d for s, d in DEFAULT_IDLE_LIMIT_DAYS.items()})
    document_max_bytes: int = 1024 * 1024
    document_warning_days: int = 30
    document_warning_time: time = time(6, 30)


def parse_reminder_days(text: str) -> tuple[int, ...]:
    try:
        days = sorted({int(part) for part in text.split(",") if part.strip()}, reverse=True)
    except ValueError:
        raise SettingsError(f"{REMINDER_DAYS} : des jours entiers séparés par des virgules "
                            f"sont attendus, reçu {text!r}.") from None
    if not days or days[-1] < 1:
        raise SettingsError(f"{REMINDER_DAYS} : des jours entiers d'au moins 1 sont attendus.")
    return tuple(days)


def parse_idle_days(text: str) -> dict[str, int]:
    limits = {stage.value: days for stage, days in DEFAULT_IDLE_LIMIT_DAYS.items()}
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, value = part.partition("=")
        try:
            stage, days = Stage(name.strip()), int(value)
        except ValueError:
            raise SettingsError(f"{IDLE_DAYS} : « étape=jours » attendu, reçu {part!r}.") from None
        if stage.is_terminal or days < 0:
            raise SettingsError(f"{IDLE_DAYS} : {part!r} ne s'applique pas.")
        if days == 0:
            limits.pop(stage.value, None)
        else:
            limits[stage.value] = days
    return limits


def parse_warning_days(text: str) -> int:
    if not text.strip().isdigit():
        raise SettingsError(f"{WARNING_DAYS} : un nombre de jours est attendu, reçu {text!r}.")
    return int(text)


def parse_warning_time(text: str) -> time:
    try:
        return time.fromisoformat(text.strip())
    except ValueError:
        raise SettingsError(f"{WARNING_TIME} : une heure HH:MM est attendue, reçu {text!r}."
                            ) from None


def case_settings_from(options: Mapping[str, str]) -> CaseSettings:
    defaults = CaseSettings()
    reminder = options.get(REMINDER_DAYS)
    idle = options.get(IDLE_DAYS)
    max_bytes = options.get(DOCUMENT_MAX_BYTES)
    return CaseSettings(
        reminder_days=parse_reminder_days(reminder) if reminder else defaults.reminder_days,
        idle_days=parse_idle_days(idle) if idle else defaults.idle_days,
        document_max_bytes=int(max_bytes) if max_bytes else defaults.document_max_bytes,
        document_warning_days=parse_warning_days(options[WARNING_DAYS])
        if options.get(WARNING_DAYS) else defaults.document_warning_days,
        document_warning_time=parse_warning_time(options[WARNING_TIME])
        if options.get(WARNING_TIME) else defaults.document_warning_time,
    )


def case_settings(settings: Settings) -> CaseSettings:
    """From the platform settings (``Settings.options`` holds every CENTRALE_* variable)."""
    return case_settings_from(settings.options)


def current_case_settings() -> CaseSettings:
    """The settings of the app serving this request (read once, by ``create_app``)."""
    from flask import current_app

    return current_app.extensions["accompagnement"]


def case_input(case: dict, settings: CaseSettings) -> CaseInput:
    """The CaseWorkflow's input for a case row: its deadline, its reminder days (or the
    settings'), the settings' idle limits."""
    from .workflows import CaseInput

    return CaseInput(case_id=case["id"], stage=case["stage"],
                     deadline=case["deadline"].isoformat() if case["deadline"] else None,
                     reminder_days=list(case["reminder_days"] or settings.reminder_days),
                     idle_days=dict(settings.idle_days))
