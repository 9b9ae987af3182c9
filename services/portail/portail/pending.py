"""What waits for its sender to confirm their address: a message of the directory's contact
form, a buyer's sign-up. Each is kept with the SHA-256 of the secret mailed to the address
(never the secret), lives a day, and is used once."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg

from . import accounts

CONFIRMATION_LIFETIME = timedelta(days=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Pending:
    id: uuid.UUID  # what notifications mails the check by, once
    token: str  # the secret of the link
    expires_at: datetime


def create_message(conn: psycopg.Connection, structure_id: int, sender_name: str,
                   sender_email: str, organisation: str | None, subject: str, body: str,
                   ip: str) -> Pending:
    token, message_id = secrets.token_urlsafe(32), uuid.uuid4()
    row = conn.execute(
        "INSERT INTO contact_messages (id, token_hash, structure_id, sender_name, sender_email,"
        " organisation, subject, body, ip, expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s, %s,"
        " %s, now() + %s) RETURNING expires_at",
        (message_id, _hash(token), structure_id, sender_name.strip(), sender_email.strip().lower(),
         (organisation or "").strip() or None, subject.strip(), body.strip(), ip,
         CONFIRMATION_LIFETIME)).fetchone()
    return Pending(message_id, token, row["expires_at"])


def message_to_confirm(conn: psycopg.Connection, token: str) -> dict[str, Any] | None:
    """The message of a valid link, not relayed yet, locked."""
    return conn.execute(
        "SELECT * FROM contact_messages WHERE token_hash = %s AND relayed_at IS NULL"
        " AND expires_at > now() FOR UPDATE", (_hash(token),)).fetchone()


def mark_relayed(conn: psycopg.Connection, message_id: uuid.UUID) -> None:
    conn.execute("UPDATE contact_messages SET confirmed_at = now(), relayed_at = now()"
                 " WHERE id = %s", (message_id,))


def create_signup(conn: psycopg.Connection, email: str, name: str, password: str,
                  organisation: accounts.Organisation, ip: str) -> Pending:
    token = secrets.token_urlsafe(32)
    row = conn.execute(
        "INSERT INTO pending_signups (token_hash, email, name, password_hash, organisation,"
        " organisation_siret, buyer_kind, ip, expires_at) VALUES (%s, %s, %s, %s, %s, %s, %s,"
        " %s, now() + %s) RETURNING expires_at",
        (_hash(token), email.strip().lower(), name.strip(), accounts.HASHER.hash(password),
         organisation.name, organisation.siret, organisation.kind, ip,
         CONFIRMATION_LIFETIME)).fetchone()
    return Pending(uuid.uuid5(uuid.NAMESPACE_URL, _hash(token)), token, row["expires_at"])


def signup_to_confirm(conn: psycopg.Connection, token: str) -> dict[str, Any] | None:
    return conn.execute(
        "SELECT * FROM pending_signups WHERE token_hash = %s AND confirmed_at IS NULL"
        " AND expires_at > now() FOR UPDATE", (_hash(token),)).fetchone()


def confirm_signup(conn: psycopg.Connection, token: str) -> accounts.User | None:
    """The buyer's account, created now that its address is confirmed; None when the link is
    no longer valid or an account took the address meanwhile."""
    signup = signup_to_confirm(conn, token)
    if signup is None or accounts.find_user_by_email(conn, signup["email"]) is not None:
        return None
    conn.execute("UPDATE pending_signups SET confirmed_at = now() WHERE token_hash = %s",
                 (signup["token_hash"],))
    return accounts.create_user(
        conn, signup["email"], signup["name"], "", "acheteur", None,
        accounts.Organisation(signup["organisation"], signup["organisation_siret"],
                              signup["buyer_kind"]),
        password_hash=signup["password_hash"])
