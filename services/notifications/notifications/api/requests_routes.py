"""What the portail asks notifications to mail besides invitations: the check of an address
someone typed, and the messages of the public directory's contact form, relayed to the
structure's contacts. Staff only (the portail asks with its service token, after its own
checks: a confirmed address, a listed structure, its rate limits); each is sent once per id."""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.events import Event
from centrale.web import resources, staff_only

from ..config import config_from
from ..notifier import Notifier
from .requests_schemas import DirectoryMessageInSchema, EmailCheckInSchema, QueuedSchema

blp = Blueprint("requests", __name__, url_prefix="/api",
                description="Vérifications d'adresse et messages de l'annuaire public")


@blp.route("/email-checks")
class EmailChecks(MethodView):
    @staff_only
    @blp.arguments(EmailCheckInSchema)
    @blp.response(202, QueuedSchema)
    def post(self, check):
        """Envoyer à une adresse le lien qui la confirme (une fois par vérification)."""
        res = resources()
        data = {**check, "check_id": str(check["check_id"]), "email": check["email"].lower(),
                "expires_at": check["expires_at"].isoformat()}
        event = Event(type="account.email_check", subject=f"email-check:{data['check_id']}",
                      producer="portail", data=data, id=check["check_id"])
        with res.db.transaction() as conn:
            queued = Notifier(config_from(res.settings)).check_email(conn, event)
        return {"queued": int(queued)}


@blp.route("/directory-messages")
class DirectoryMessages(MethodView):
    @staff_only
    @blp.arguments(DirectoryMessageInSchema)
    @blp.response(202, QueuedSchema)
    def post(self, message):
        """Transmettre le message d'un visiteur de l'annuaire aux contacts d'une structure
        (leurs adresses ne sont jamais données) ; un même message n'est transmis qu'une fois."""
        res = resources()
        data = {**message, "message_id": str(message["message_id"]),
                "sender_email": message["sender_email"].lower()}
        event = Event(type="directory.message", subject=f"structure:{data['structure_id']}",
                      producer="portail", data=data, id=message["message_id"])
        with res.db.transaction() as conn:
            queued = Notifier(config_from(res.settings)).relay(conn, event)
        return {"queued": queued}
