"""Each person's choice, per kind of notification: immediately, in the daily digest, or never
(by email: the in-app feed always shows everything)."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import current_identity, open_to_signed_in, resources

from .. import store
from ..domain.kinds import KINDS, KINDS_BY_CODE, Kind, Mode
from .feed_schemas import PersonQuerySchema
from .people import person_to_change, person_to_read
from .preferences_schemas import PreferenceInSchema, PreferenceSchema

blp = Blueprint("preferences", __name__, url_prefix="/api/preferences",
                description="Préférences de notification par personne et par type")


def _view(kind: Kind, chosen: Mode | None) -> dict:
    mode = chosen or kind.default
    return {"kind": kind.code, "label": kind.label, "event_types": list(kind.event_types),
            "mode": mode.value, "mode_label": mode.label, "default_mode": kind.default.value,
            "is_default": chosen is None}


@blp.route("")
class Preferences(MethodView):
    @open_to_signed_in
    @blp.arguments(PersonQuerySchema, location="query")
    @blp.response(200, PreferenceSchema(many=True))
    def get(self, query):
        """Mes préférences, pour chaque type de notification."""
        person = person_to_read(query["email"])
        with resources().db.transaction() as conn:
            chosen = store.preferences.modes_for(conn, person)
        return [_view(kind, chosen.get(kind.code)) for kind in KINDS]


@blp.route("/<string:kind>")
class Preference(MethodView):
    @open_to_signed_in
    @blp.arguments(PreferenceInSchema)
    @blp.arguments(PersonQuerySchema, location="query")
    @blp.response(200, PreferenceSchema)
    def put(self, payload, query, kind):
        """Choisir comment recevoir un type de notification."""
        if kind not in KINDS_BY_CODE:
            abort(404, message=f"Type de notification inconnu : {kind}.")
        person = person_to_change(query["email"])
        mode = Mode(payload["mode"])
        with resources().db.transaction() as conn:
            store.preferences.set_mode(conn, person, kind, mode, current_identity().subject)
        return _view(KINDS_BY_CODE[kind], mode)
