"""The notifications web application (gunicorn: ``notifications.app:create_app()``)."""

from __future__ import annotations

from centrale.settings import load_settings
from centrale.web import create_service_app

from .api.calendar_routes import blp as calendar_blp
from .api.deliveries_routes import blp as deliveries_blp
from .api.events_routes import blp as events_blp
from .api.feed_routes import blp as feed_blp
from .api.invitations_routes import blp as invitations_blp
from .api.invitations_routes import reset_blp
from .api.preferences_routes import blp as preferences_blp
from .api.requests_routes import blp as requests_blp
from .public import blp as public_blp


def create_app(settings=None, open_resources: bool = True):
    settings = settings or load_settings("notifications")
    app = create_service_app(
        settings,
        title="Centrale — notifications",
        description="Courriels, fil de notifications, préférences, résumés quotidiens, journal "
                    "des envois et calendriers des structures.",
        blueprints=[feed_blp, preferences_blp, deliveries_blp, calendar_blp, events_blp,
                    invitations_blp, reset_blp, requests_blp],
        open_resources=open_resources,
    )
    # Signed links opened from emails and calendar applications: outside /api/, no token.
    app.register_blueprint(public_blp)
    return app
