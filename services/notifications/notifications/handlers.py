"""What notifications does with the platform's events (one queue per handler).

- ``journal`` records every event received, once (the staff's ``/api/events``);
- ``notify`` keeps the directory and the calendars, and turns each event into notifications
  and deliveries (see ``notifier.py``). Structure events share its queue so that a structure
  and the events about it are applied in the order they arrive.
"""

from __future__ import annotations

from centrale.consumer import Handler

from . import store
from .config import config_from
from .notifier import HANDLED_EVENT_TYPES, Notifier

WATCHED = ("tender.*", "case.*", "training.*", "consortium.*", "structure.*", "diagnosis.*",
           "need.*")


def journal(conn, event) -> None:
    store.record_received(conn, event)


def handlers(settings) -> list[Handler]:
    return [
        Handler("journal", WATCHED, journal),
        Handler("notify", HANDLED_EVENT_TYPES, Notifier(config_from(settings))),
    ]
