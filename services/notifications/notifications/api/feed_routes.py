"""The in-app feed of each person: list, unread count, mark as read."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint, abort

from centrale.web import open_to_signed_in, resources

from .. import store
from .feed_schemas import (FeedQuerySchema, MarkedSchema, NotificationSchema, PersonQuerySchema,
                           UnreadCountSchema)
from .people import own_email, person_to_read

blp = Blueprint("feed", __name__, url_prefix="/api/feed",
                description="Fil de notifications de chaque personne")


@blp.route("")
class Feed(MethodView):
    @open_to_signed_in
    @blp.arguments(FeedQuerySchema, location="query")
    @blp.response(200, NotificationSchema(many=True))
    def get(self, query):
        """Mes notifications, les plus récentes d'abord (le fil d'une autre personne : équipe)."""
        person = person_to_read(query["email"])
        with resources().db.transaction() as conn:
            return store.feed.list_for(conn, person, query["unread"], query["limit"],
                                       query["offset"])


@blp.route("/unread-count")
class UnreadCount(MethodView):
    @open_to_signed_in
    @blp.arguments(PersonQuerySchema, location="query")
    @blp.response(200, UnreadCountSchema)
    def get(self, query):
        """Combien de notifications non lues."""
        person = person_to_read(query["email"])
        with resources().db.transaction() as conn:
            return {"email": person, "unread": store.feed.unread_count(conn, person)}


@blp.route("/<int:notification_id>/read")
class MarkRead(MethodView):
    @open_to_signed_in
    @blp.response(200, NotificationSchema)
    def post(self, notification_id):
        """Marquer une de mes notifications comme lue."""
        person = own_email()
        with resources().db.transaction() as conn:
            row = store.feed.mark_read(conn, person, notification_id)
        if row is None:
            abort(404, message=f"Notification {notification_id} introuvable.")
        return row


@blp.route("/read-all")
class MarkAllRead(MethodView):
    @open_to_signed_in
    @blp.response(200, MarkedSchema)
    def post(self):
        """Marquer toutes mes notifications comme lues."""
        person = own_email()
        with resources().db.transaction() as conn:
            return {"email": person, "marked": store.feed.mark_all_read(conn, person)}
