"""The portail's pages, one blueprint per area."""

from __future__ import annotations

from flask import Flask


def register_views(app: Flask) -> None:
    from . import (account, advisors, alerts, annuaire, auth, case_work, cases, clauses,
                   directory, feeds, home, impact, market, needs, official_changes, people,
                   public_links, tenders, trainings)

    for module in (auth, account, home, tenders, market, alerts, feeds, trainings, cases,
                   case_work, directory, impact, advisors, people, public_links, annuaire, needs,
                   clauses, official_changes):
        app.register_blueprint(module.blp)
