"""What keeps the public forms (the directory's contact form, a buyer's sign-up) from being a
way to spam the territory's structures, or to mail anyone from the platform:

- nothing leaves before its sender confirms their address (a link mailed to them);
- too many messages or sign-ups from one address or one network address in a window are
  refused, counted in the database so that every web worker applies the same limits;
- text with markup (``<script>``, ``<a href=…>``) or control characters is refused, and a
  one-line field (a subject, a name) holds no line break (no header injection);
- a honeypot field, hidden from people, left empty: a form that fills it is dropped silently
  (a robot is told nothing it could learn from).

The structure's address is never on a public page: the contact form is relayed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import psycopg

from centrale.text import first_forbidden

_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]|&#|javascript:", re.IGNORECASE)
_LINE_BREAK = re.compile(r"[\r\n\u2028\u2029\x85]")

HONEYPOT_FIELD = "site_web"


@dataclass(frozen=True)
class Limit:
    count: int
    window: timedelta
    message: str


MESSAGES_PER_ADDRESS = (
    Limit(3, timedelta(hours=1), "Vous avez déjà envoyé plusieurs messages depuis cette "
                                 "adresse : réessayez dans une heure."),
    Limit(10, timedelta(days=1), "Trop de messages depuis cette adresse aujourd'hui : "
                                 "réessayez demain."),
)
MESSAGES_PER_NETWORK = (
    Limit(10, timedelta(hours=1), "Trop de messages depuis votre connexion : réessayez dans "
                                  "une heure."),
)
MESSAGES_PER_STRUCTURE = (
    Limit(30, timedelta(days=1), "Cette structure a reçu beaucoup de messages aujourd'hui : "
                                 "réessayez demain."),
)
SIGNUPS_PER_ADDRESS = (
    Limit(3, timedelta(days=1), "Plusieurs demandes de compte ont déjà été faites pour cette "
                                "adresse aujourd'hui : suivez le lien reçu, ou réessayez demain."),
)
SIGNUPS_PER_NETWORK = (
    Limit(5, timedelta(hours=1), "Trop de demandes de compte depuis votre connexion : "
                                 "réessayez dans une heure."),
)


def markup_or_control(text: str | None) -> str | None:
    """The French refusal of a text holding markup or control characters, or None."""
    if not text:
        return None
    if _MARKUP.search(text):
        return "Les balises et le code HTML ne sont pas acceptés : écrivez du texte simple."
    if first_forbidden(text) is not None:
        return "Caractères de contrôle refusés."
    return None


def not_one_line(text: str | None) -> str | None:
    if text and _LINE_BREAK.search(text):
        return "Une seule ligne, sans retour à la ligne."
    return markup_or_control(text)


def _count(conn: psycopg.Connection, table: str, column: str, value, window: timedelta) -> int:
    # table and column come from this module's constants only
    return conn.execute(f"SELECT count(*) AS n FROM {table} WHERE {column} = %s"
                        " AND created_at > now() - %s", (value, window)).fetchone()["n"]


def _first_exceeded(conn, table: str, checks) -> str | None:
    for column, value, limits in checks:
        for limit in limits:
            if _count(conn, table, column, value, limit.window) >= limit.count:
                return limit.message
    return None


def message_refusal(conn: psycopg.Connection, email: str, ip: str,
                    structure_id: int) -> str | None:
    """Why one more contact message is refused now, or None."""
    return _first_exceeded(conn, "contact_messages", (
        ("sender_email", email.strip().lower(), MESSAGES_PER_ADDRESS),
        ("ip", ip, MESSAGES_PER_NETWORK),
        ("structure_id", structure_id, MESSAGES_PER_STRUCTURE)))


def signup_refusal(conn: psycopg.Connection, email: str, ip: str) -> str | None:
    return _first_exceeded(conn, "pending_signups", (
        ("email", email.strip().lower(), SIGNUPS_PER_ADDRESS),
        ("ip", ip, SIGNUPS_PER_NETWORK)))
