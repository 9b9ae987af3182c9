"""What notifications does with the platform's events (one queue per handler)."""

from __future__ import annotations

from centrale.consumer import Handler

from . import store

WATCHED = ("tender.*", "case.*", "training.*", "consortium.*", "structure.*", "diagnosis.*")


def journal(conn, event) -> None:
    store.record_received(conn, event)


def handlers(settings) -> list[Handler]:
    return [Handler("journal", WATCHED, journal)]
