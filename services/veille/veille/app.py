"""The veille web application (gunicorn: ``veille.app:create_app()``)."""

from __future__ import annotations

from centrale.settings import load_settings
from centrale.web import create_service_app

from .api.feeds_routes import blp as feeds_blp
from .api.market_routes import blp as market_blp
from .api.needs_routes import blp as needs_blp
from .api.profiles_routes import blp as profiles_blp
from .api.tenders_routes import blp as tenders_blp
from .public import blp as public_blp


def create_app(settings=None, open_resources: bool = True):
    settings = settings or load_settings("veille")
    app = create_service_app(
        settings,
        title="Centrale — veille des appels d'offres",
        description="Appels d'offres des acheteurs du territoire, normalisés et rapprochés "
                    "des profils des structures.",
        blueprints=[tenders_blp, profiles_blp, feeds_blp, market_blp, needs_blp],
        open_resources=open_resources,
    )
    app.register_blueprint(public_blp)
    return app
