"""Veille's own settings, read once from the platform settings' ``CENTRALE_*`` options.

- ``CENTRALE_VEILLE_POLL``: ``on`` makes the live polls run; otherwise their schedules are
  created paused (a developer's machine, CI: no network);
- ``CENTRALE_VEILLE_BOAMP_URL``, ``CENTRALE_VEILLE_TED_URL``, ``CENTRALE_VEILLE_DECP_URL``:
  where the polls read (the public APIs by default; a recorded-responses server in tests);
- ``CENTRALE_VEILLE_RENEWALS_TIME`` (``05:30``, Paris): when the expected renewals are
  computed again every day;
- ``CENTRALE_VEILLE_DEPARTMENTS`` (``42,43``): the territory alerts are sent for (read by the
  ingest, ``ingest.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from centrale.settings import Settings

from .feeds import boamp, decp, ted


@dataclass(frozen=True)
class VeilleConfig:
    poll: bool
    boamp_url: str
    ted_url: str
    decp_url: str
    renewals_at: time


def config_from(settings: Settings) -> VeilleConfig:
    return VeilleConfig(
        poll=settings.option("VEILLE_POLL", "off") == "on",
        boamp_url=settings.option("VEILLE_BOAMP_URL", boamp.DEFAULT_BASE_URL),
        ted_url=settings.option("VEILLE_TED_URL", ted.DEFAULT_BASE_URL),
        decp_url=settings.option("VEILLE_DECP_URL", decp.DEFAULT_BASE_URL),
        renewals_at=time.fromisoformat(settings.option("VEILLE_RENEWALS_TIME", "05:30")),
    )
