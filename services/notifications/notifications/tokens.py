"""Signed links that work without logging in: unsubscribing, and a structure's calendar.

Both are signed with the platform's token secret (itsdangerous, HMAC-SHA1 over a salt of their
own, so a calendar token is never accepted as an unsubscribe token, nor the reverse). They do
not expire: an email read months later must still let its reader unsubscribe, and a calendar
subscription must keep working. Changing ``CENTRALE_TOKEN_SECRET`` revokes them all.
"""

from __future__ import annotations

from dataclasses import dataclass

from itsdangerous import BadSignature, URLSafeSerializer

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
CALENDAR_SALT = "notifications.calendar"


class InvalidLink(ValueError):
    """The token was not signed by us (forged, altered or truncated)."""


@dataclass(frozen=True)
class Unsubscribe:
    email: str
    kind: str  # a kind's code, or DIGEST_SCOPE for a digest email


class LinkSigner:
    def __init__(self, secret: str) -> None:
        self._unsubscribe = URLSafeSerializer(secret, salt=UNSUBSCRIBE_SALT)
        self._calendar = URLSafeSerializer(secret, salt=CALENDAR_SALT)

    def unsubscribe_token(self, email: str, kind: str) -> str:
        return self._unsubscribe.dumps({"e": email, "k": kind})

    def read_unsubscribe(self, token: str) -> Unsubscribe:
        try:
            data = self._unsubscribe.loads(token)
        except BadSignature as exc:
            raise InvalidLink(str(exc)) from exc
        if not isinstance(data, dict) or not isinstance(data.get("e"), str) \
                or not isinstance(data.get("k"), str):
            raise InvalidLink("contenu inattendu")
        return Unsubscribe(data["e"], data["k"])

    def calendar_token(self, structure_id: int, generation: int = 0) -> str:
        """Generation 0 is the first address (its token names no generation); a structure
        that regenerates its address gets the next one and the older ones stop working."""
        claims = {"s": structure_id}
        if generation:
            claims["g"] = generation
        return self._calendar.dumps(claims)

    def read_calendar(self, token: str) -> tuple[int, int]:
        """(structure id, generation) of a calendar token."""
        try:
            data = self._calendar.loads(token)
        except BadSignature as exc:
            raise InvalidLink(str(exc)) from exc
        if not isinstance(data, dict) or not isinstance(data.get("s"), int) \
                or not isinstance(data.get("g", 0), int):
            raise InvalidLink("contenu inattendu")
        return data["s"], data.get("g", 0)


def unsubscribe_url(public_url: str, token: str) -> str:
    return f"{public_url}/desabonnement/{token}"


def calendar_url(public_url: str, token: str) -> str:
    return f"{public_url}/calendrier/{token}.ics"
