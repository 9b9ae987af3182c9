"""Accounts, invitations, login sessions and login attempts: passwords hashed with argon2,
invitation tokens and session keys stored only as their SHA-256, login attempts recorded in the
database so every web worker throttles alike (``portail.throttle``)."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import psycopg
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerifyMismatchError

from centrale.auth import Roles

HASHER = PasswordHasher()
SESSION_LIFETIME = timedelta(hours=8)
INVITATION_LIFETIME = timedelta(days=7)
# Verifying against this hash when the email is unknown keeps the answer time the same.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User(Roles):
    """An account of the portail; its role is read as a token's (``centrale.auth.Roles``)."""

    id: int
    email: str
    name: str
    role: str
    structure_id: int | None
    session_version: int
    organisation: str | None = None  # a buyer's
    organisation_siret: str | None = None
    buyer_kind: str | None = None  # public | private


@dataclass(frozen=True)
class Organisation:
    """A buyer's organisation: its name, its SIRET (checked), public or private."""

    name: str
    siret: str | None
    kind: str


def _user(row: dict[str, Any] | None) -> User | None:
    if row is None:
        return None
    return User(row["id"], row["email"], row["name"], row["role"], row["structure_id"],
                row["session_version"], row["organisation"], row["organisation_siret"],
                row["buyer_kind"])


USER_COLUMNS = ("id, email, name, role, structure_id, session_version, organisation,"
                " organisation_siret, buyer_kind")


def create_user(conn: psycopg.Connection, email: str, name: str, password: str, role: str,
                structure_id: int | None, organisation: Organisation | None = None,
                password_hash: str | None = None) -> User:
    row = conn.execute(
        f"INSERT INTO users (email, name, password_hash, role, structure_id, organisation,"
        f" organisation_siret, buyer_kind) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
        f" RETURNING {USER_COLUMNS}",
        (email.strip().lower(), name.strip(), password_hash or HASHER.hash(password), role,
         structure_id, organisation.name if organisation else None,
         organisation.siret if organisation else None,
         organisation.kind if organisation else None),
    ).fetchone()
    return _user(row)


def get_user(conn: psycopg.Connection, user_id: int) -> User | None:
    return _user(conn.execute(f"SELECT {USER_COLUMNS} FROM users WHERE id = %s AND active",
                              (user_id,)).fetchone())


def account_name(conn: psycopg.Connection, user_id: int) -> str | None:
    """The name of an account, active or not (what it did keeps its author)."""
    row = conn.execute("SELECT name FROM users WHERE id = %s", (user_id,)).fetchone()
    return row["name"] if row else None


def find_user_by_email(conn: psycopg.Connection, email: str) -> User | None:
    return _user(conn.execute(f"SELECT {USER_COLUMNS} FROM users WHERE email = %s",
                              (email.strip().lower(),)).fetchone())


def authenticate(conn: psycopg.Connection, email: str, password: str, ip: str) -> User | None:
    """The user when the password is right; every attempt is recorded."""
    email = email.strip().lower()
    row = conn.execute(f"SELECT {USER_COLUMNS}, password_hash, active FROM users WHERE email = %s",
                       (email,)).fetchone()
    try:
        HASHER.verify(row["password_hash"] if row else _DUMMY_HASH, password)
        ok = row is not None and row["active"]
    except (VerifyMismatchError, InvalidHashError):
        ok = False
    conn.execute("INSERT INTO login_attempts (email, ip, success) VALUES (%s, %s, %s)",
                 (email, ip, ok))
    if not ok:
        return None
    if HASHER.check_needs_rehash(row["password_hash"]):
        conn.execute("UPDATE users SET password_hash = %s WHERE id = %s",
                     (HASHER.hash(password), row["id"]))
    conn.execute("UPDATE users SET last_login_at = now() WHERE id = %s", (row["id"],))
    return _user(row)


def end_all_sessions(conn: psycopg.Connection, user_id: int) -> None:
    conn.execute("UPDATE users SET session_version = session_version + 1 WHERE id = %s",
                 (user_id,))
    conn.execute("DELETE FROM login_sessions WHERE user_id = %s", (user_id,))


def open_session(conn: psycopg.Connection, user_id: int) -> str:
    """A new login session of ``user_id``: its random key, for the cookie (kept here only as
    its hash). The account's expired sessions go at the same time."""
    conn.execute("DELETE FROM login_sessions WHERE user_id = %s AND expires_at <= now()",
                 (user_id,))
    key = secrets.token_urlsafe(32)
    conn.execute("INSERT INTO login_sessions (key_hash, user_id, expires_at)"
                 " VALUES (%s, %s, now() + %s)", (_token_hash(key), user_id, SESSION_LIFETIME))
    return key


def session_user(conn: psycopg.Connection, key: str) -> User | None:
    """The active account whose session ``key`` is open and not expired."""
    return _user(conn.execute(
        f"SELECT {', '.join('u.' + c.strip() for c in USER_COLUMNS.split(','))}"
        " FROM login_sessions s JOIN users u ON u.id = s.user_id"
        " WHERE s.key_hash = %s AND s.expires_at > now() AND u.active",
        (_token_hash(key),)).fetchone())


def close_session(conn: psycopg.Connection, key: str) -> None:
    """Logging out: the session ends on the server, for every copy of its cookie."""
    conn.execute("DELETE FROM login_sessions WHERE key_hash = %s", (_token_hash(key),))


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class Invitation:
    id: uuid.UUID  # what notifications sends it once by
    token: str  # the secret of the link, kept hashed only
    email: str
    role: str
    structure_id: int | None
    expires_at: datetime


def create_invitation(conn: psycopg.Connection, email: str, role: str, structure_id: int | None,
                      invited_by: int, organisation: Organisation | None = None) -> Invitation:
    token = secrets.token_urlsafe(32)
    row = conn.execute(
        "INSERT INTO invitations (token_hash, email, role, structure_id, invited_by, expires_at,"
        " organisation, organisation_siret, buyer_kind)"
        " VALUES (%s, %s, %s, %s, %s, now() + %s, %s, %s, %s) RETURNING email, expires_at",
        (_token_hash(token), email.strip().lower(), role, structure_id, invited_by,
         INVITATION_LIFETIME, organisation.name if organisation else None,
         organisation.siret if organisation else None,
         organisation.kind if organisation else None)).fetchone()
    return Invitation(uuid.uuid4(), token, row["email"], role, structure_id, row["expires_at"])


def pending_invitation(conn: psycopg.Connection, token: str) -> dict[str, Any] | None:
    return conn.execute(
        "SELECT token_hash, email, role, structure_id, organisation, organisation_siret,"
        " buyer_kind FROM invitations WHERE token_hash = %s"
        " AND used_at IS NULL AND expires_at > now() FOR UPDATE", (_token_hash(token),)).fetchone()


def accept_invitation(conn: psycopg.Connection, token: str, name: str, password: str) -> User | None:
    invitation = pending_invitation(conn, token)
    if invitation is None:
        return None
    conn.execute("UPDATE invitations SET used_at = now() WHERE token_hash = %s",
                 (invitation["token_hash"],))
    organisation = (Organisation(invitation["organisation"], invitation["organisation_siret"],
                                 invitation["buyer_kind"])
                    if invitation["organisation"] else None)
    return create_user(conn, invitation["email"], name, password, invitation["role"],
                       invitation["structure_id"], organisation)


RESET_LIFETIME = timedelta(hours=1)
MAX_RESETS_PER_HOUR = 3


def change_password(conn: psycopg.Connection, user_id: int, password: str) -> User | None:
    """A new password ends every session of the account (the caller starts a new one)."""
    conn.execute("DELETE FROM login_sessions WHERE user_id = %s", (user_id,))
    return _user(conn.execute(
        f"UPDATE users SET password_hash = %s, session_version = session_version + 1"
        f" WHERE id = %s RETURNING {USER_COLUMNS}", (HASHER.hash(password), user_id)).fetchone())


def password_matches(conn: psycopg.Connection, user_id: int, password: str) -> bool:
    row = conn.execute("SELECT password_hash FROM users WHERE id = %s", (user_id,)).fetchone()
    try:
        return row is not None and HASHER.verify(row["password_hash"], password)
    except (VerifyMismatchError, InvalidHashError):
        return False


def create_reset(conn: psycopg.Connection, email: str) -> tuple[User, str, str] | None:
    """A reset token for an active account (at most three an hour); None otherwise — the
    caller says the same thing either way, so nobody learns which addresses have accounts."""
    user = find_user_by_email(conn, email)
    if user is None or get_user(conn, user.id) is None:
        return None
    recent = conn.execute("SELECT count(*) AS n FROM password_resets WHERE user_id = %s"
                          " AND created_at > now() - interval '1 hour'", (user.id,)).fetchone()
    if recent["n"] >= MAX_RESETS_PER_HOUR:
        return None
    token = secrets.token_urlsafe(32)
    expires_at = conn.execute(
        "INSERT INTO password_resets (token_hash, user_id, expires_at)"
        " VALUES (%s, %s, now() + %s) RETURNING expires_at",
        (_token_hash(token), user.id, RESET_LIFETIME)).fetchone()["expires_at"]
    return user, token, expires_at.isoformat()


def pending_reset(conn: psycopg.Connection, token: str) -> dict[str, Any] | None:
    return conn.execute(
        "SELECT r.token_hash, r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id"
        " WHERE r.token_hash = %s AND r.used_at IS NULL AND r.expires_at > now() AND u.active"
        " FOR UPDATE OF r", (_token_hash(token),)).fetchone()


def use_reset(conn: psycopg.Connection, token: str, password: str) -> User | None:
    reset = pending_reset(conn, token)
    if reset is None:
        return None
    conn.execute("UPDATE password_resets SET used_at = now() WHERE user_id = %s"
                 " AND used_at IS NULL", (reset["user_id"],))  # every other link too
    return change_password(conn, reset["user_id"], password)


def list_users(conn: psycopg.Connection) -> list[dict[str, Any]]:
    return conn.execute("SELECT id, email, name, role, structure_id, active, last_login_at"
                        " FROM users ORDER BY active DESC, name, id").fetchall()


def set_active(conn: psycopg.Connection, user_id: int, active: bool) -> bool:
    """Deactivating ends the account's sessions; it can no longer log in."""
    if not active:
        conn.execute("DELETE FROM login_sessions WHERE user_id = %s", (user_id,))
    return conn.execute(
        "UPDATE users SET active = %s, session_version = session_version + CASE WHEN %s"
        " THEN 0 ELSE 1 END WHERE id = %s RETURNING id", (active, active, user_id)
    ).fetchone() is not None
