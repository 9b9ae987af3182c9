"""The notifications web application (gunicorn: ``notifications.app:create_app()``)."""

from __future__ import annotations

from centrale.settings import load_settings
from centrale.web import create_service_app

from .api.events_routes import blp as events_blp


def create_app(settings=None, open_resources: bool = True):
    settings = settings or load_settings("notifications")
    return create_service_app(
        settings,
        title="Centrale — notifications",
        description="Courriels, fil de notifications, préférences et résumés.",
        blueprints=[events_blp],
        open_resources=open_resources,
    )
