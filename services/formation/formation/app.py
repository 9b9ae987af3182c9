"""The formation web application (gunicorn: ``formation.app:create_app()``)."""

from __future__ import annotations

from centrale.settings import load_settings
from centrale.web import create_service_app

from .api.figures_routes import blp as figures_blp
from .api.registrations_routes import blp as registrations_blp
from .api.sessions_routes import blp as sessions_blp
from .api.structures_routes import blp as structures_blp
from .config import config_from


def create_app(settings=None, open_resources: bool = True):
    settings = settings or load_settings("formation")
    app = create_service_app(
        settings,
        title="Centrale — formation",
        description=("Modules de formation, sessions, inscriptions et listes d'attente, "
                     "rappels et invitations, présence, attestations, questionnaires, "
                     "recommandations et chiffres d'impact."),
        blueprints=[sessions_blp, registrations_blp, structures_blp, figures_blp],
        open_resources=open_resources,
    )
    app.extensions["formation"] = config_from(settings)
    return app
