"""The portail's pages, one blueprint per area."""

from __future__ import annotations

from flask import Flask


def register_views(app: Flask) -> None:
    from . import alerts, auth, cases, directory, home, people, tenders, trainings

    for module in (auth, home, tenders, alerts, trainings, cases, directory, people):
        app.register_blueprint(module.blp)
