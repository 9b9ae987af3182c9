"""The secret address of a structure's calendar (its deadlines and trainings, as .ics)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.web import current_identity, resources, structure_in_path

from .. import store
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
        with resources().db.transaction() as conn:
            generation = store.calendar.feed_generation(conn, structure_id)
        return link(structure_id, generation)


@blp.route("/<int:structure_id>/calendar/regenerate")
class CalendarRegeneration(MethodView):
    @structure_in_path()
    @blp.response(200, CalendarLinkSchema)
    def post(self, structure_id):
        """Une nouvelle adresse secrète pour le calendrier : l'ancienne ne fonctionne plus
        (une adresse diffusée par erreur)."""
        with resources().db.transaction() as conn:
            generation = store.calendar.regenerate_feed(conn, structure_id,
                                                        current_identity().subject)
        return link(structure_id, generation)


def link(structure_id: int, generation: int) -> dict:
    config = config_from(resources().settings)
    token = LinkSigner(config.token_secret).calendar_token(structure_id, generation)
    return {"structure_id": structure_id, "url": calendar_url(config.public_url, token)}
