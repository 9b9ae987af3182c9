"""The accompagnement web application (gunicorn: ``accompagnement.app:create_app()``)."""

from __future__ import annotations

from centrale.settings import load_settings
from centrale.web import create_service_app

from .api.cases_routes import blp as cases_blp


def create_app(settings=None, open_resources: bool = True):
    settings = settings or load_settings("accompagnement")
    return create_service_app(
        settings,
        title="Centrale — accompagnement des réponses",
        description="Structures, dossiers de réponse et leurs étapes, groupements, impact.",
        blueprints=[cases_blp],
        open_resources=open_resources,
    )
