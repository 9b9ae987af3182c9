"""Demo data for notifications: none of its own — it fills from the other services' events."""

from __future__ import annotations

from centrale.settings import Settings


def load_demo(settings: Settings, dry_run: bool) -> str:
    return ("notifications : rien à charger, le journal se remplit des événements "
            "des autres services.")
