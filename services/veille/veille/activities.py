"""Veille's Temporal activities: the I/O its workflows need, one dataclass argument each."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from temporalio import activity

from centrale.db import Database

from . import store


@dataclass
class StoreNoticesInput:
    notices: list[dict[str, Any]]


@dataclass
class StoreNoticesResult:
    created: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)


class VeilleActivities:
    def __init__(self, db: Database) -> None:
        self.db = db

    @activity.defn(name="veille.store_notices")
    def store_notices(self, data: StoreNoticesInput) -> StoreNoticesResult:
        result = StoreNoticesResult()
        # One transaction per notice: a bad notice must not undo the good ones before it.
        for notice in data.notices:
            with self.db.transaction() as conn:
                tender_id, outcome = store.upsert_tender(conn, notice)
            getattr(result, outcome).append(tender_id)
        return result

    def all(self) -> list:
        return [self.store_notices]
