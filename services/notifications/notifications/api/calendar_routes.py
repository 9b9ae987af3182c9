"""The secret address of a structure's calendar (its deadlines and trainings, as .ics)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.web import resources, structure_in_path

from ..config import config_from
from ..tokens import LinkSigner, calendar_url
from .calendar_schemas import CalendarLinkSchema

blp = Blueprint("calendar", __name__, url_prefix="/api/structures",
                description="Calendrier de chaque structure")


@blp.route("/<int:structure_id>/calendar")
class CalendarLink(MethodView):
    @structure_in_path()
    @blp.response(200, CalendarLinkSchema)
    def get(self, structure_id):
        """L'adresse secrète du calendrier d'une structure (ses membres, ou l'équipe)."""
        config = config_from(resources().settings)
        token = LinkSigner(config.token_secret).calendar_token(structure_id)
        return {"structure_id": structure_id, "url": calendar_url(config.public_url, token)}
