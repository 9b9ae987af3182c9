"""Expected renewals, computed again every day: an awarded contract whose end (after its
avenants) falls within twelve months is expected to be tendered again, and is matched against
the profiles as a renewal the day it enters that horizon; one that left it (an avenant extended
it) is no longer expected. Run by the daily ``RefreshRenewals`` schedule, or ``veille renewals``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from centrale.db import Database

from .matcher import Matcher
from .store.market import refresh_renewals


@dataclass
class RenewalsReport:
    changed: int
    newly_expected: int
    alerts: int

    def summary(self, dry_run: bool) -> str:
        head = "simulation : " if dry_run else ""
        return (f"{head}{self.changed} marchés changent de renouvellement attendu, dont "
                f"{self.newly_expected} entrent dans les douze mois"
                + ("" if dry_run else f" ; {self.alerts} structures prévenues"))


def refresh(db: Database, today: date, dry_run: bool = False) -> RenewalsReport:
    matcher = Matcher()
    with db.transaction() as conn:
        expected, changed = refresh_renewals(conn, today, dry_run)
        alerts = 0 if dry_run else sum(len(matcher.match_tender(conn, tender_id))
                                       for tender_id in expected)
    return RenewalsReport(changed, len(expected), alerts)
