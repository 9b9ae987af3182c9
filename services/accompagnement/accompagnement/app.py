"""The accompagnement web application (gunicorn: ``accompagnement.app:create_app()``)."""

from __future__ import annotations

from centrale.settings import load_settings
from centrale.web import create_service_app

from .api import BLUEPRINTS
from .config import case_settings


def create_app(settings=None, open_resources: bool = True):
    settings = settings or load_settings("accompagnement")
    app = create_service_app(
        settings,
        title="Centrale — accompagnement des réponses",
        description="Structures, conseillers, dossiers de réponse et leurs étapes, diagnostic, "
                    "dossier de candidature, coffre-fort de documents, groupements, impact.",
        blueprints=BLUEPRINTS,
        open_resources=open_resources,
    )
    app.extensions["accompagnement"] = case_settings(settings)
    return app
