"""Invitations to create an account: the portail asks, notifications sends.

The invitation email is then like every other: recorded once per invitation (its id), in the
person's feed, sent by the sender with its retries, in the delivery log, and « jamais par
courriel » for the address that unsubscribed from invitations is honoured.
"""

from __future__ import annotations

from flask.views import MethodView
from flask_smorest import Blueprint

from centrale.events import Event
from centrale.web import resources, staff_only

from ..config import config_from
from ..notifier import Notifier
from .invitations_schemas import (InvitationInSchema, InvitationOutSchema, PasswordResetInSchema,
                                  PasswordResetOutSchema)

blp = Blueprint("invitations", __name__, url_prefix="/api/invitations",
                description="Invitations à créer un compte, envoyées par courriel")


@blp.route("")
class Invitations(MethodView):
    @staff_only
    @blp.arguments(InvitationInSchema)
    @blp.response(202, InvitationOutSchema)
    def post(self, invitation):
        """Envoyer une invitation à créer un compte (conseillers, par le portail) ; la même
        invitation demandée deux fois n'est envoyée qu'une fois."""
        res = resources()
        data = {**invitation, "invitation_id": str(invitation["invitation_id"]),
                "email": invitation["email"].lower(),
                "expires_at": invitation["expires_at"].isoformat()}
        event = Event(type="account.invited", subject=f"invitation:{data['invitation_id']}",
                      producer="portail", data=data, id=invitation["invitation_id"])
        with res.db.transaction() as conn:
            queued = Notifier(config_from(res.settings)).invite(conn, event)
        return {"invitation_id": invitation["invitation_id"], "queued": queued}


reset_blp = Blueprint("password_resets", __name__, url_prefix="/api/password-resets",
                      description="Liens pour choisir un nouveau mot de passe, par courriel")


@reset_blp.route("")
class PasswordResets(MethodView):
    @staff_only
    @reset_blp.arguments(PasswordResetInSchema)
    @reset_blp.response(202, PasswordResetOutSchema)
    def post(self, reset):
        """Envoyer le lien d'un mot de passe oublié (le portail, pour le compte qui le demande) ;
        la même demande faite deux fois n'est envoyée qu'une fois."""
        res = resources()
        data = {**reset, "reset_id": str(reset["reset_id"]), "email": reset["email"].lower(),
                "expires_at": reset["expires_at"].isoformat()}
        event = Event(type="account.password_reset", subject=f"password-reset:{data['reset_id']}",
                      producer="portail", data=data, id=reset["reset_id"])
        with res.db.transaction() as conn:
            queued = Notifier(config_from(res.settings)).reset(conn, event)
        return {"reset_id": reset["reset_id"], "queued": queued}
