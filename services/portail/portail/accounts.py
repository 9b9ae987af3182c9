"""Accounts, invitations and login attempts: passwords hashed with argon2, invitation tokens
stored only as their SHA-256, failed logins counted in the database so every web worker
enforces the same limit."""

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

HASHER = PasswordHasher()
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_IP = 20
LOCK_WINDOW = timedelta(minutes=15)
INVITATION_LIFETIME = timedelta(days=7)
# Verifying against this hash when the email is unknown keeps the answer time the same.
_DUMMY_HASH = HASHER.hash(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    role: str
    structure_id: int | None
    session_version: int

    @property
    def is_staff(self) -> bool:
        return self.role in ("admin", "conseiller")


def _user(row: dict[str, Any] | None) -> User | None:
    if row is None:
        return None
    return User(row["id"], row["email"], row["name"], row["role"], row["structure_id"],
                row["session_version"])


USER_COLUMNS = "id, email, name, role, structure_id, session_version"


def create_user(conn: psycopg.Connection, email: str, name: str, password: str, role: str,
                structure_id: int | None) -> User:
    row = conn.execute(
        f"INSERT INTO users (email, name, password_hash, role, structure_id) VALUES"
        f" (%s, %s, %s, %s, %s) RETURNING {USER_COLUMNS}",
        (email.strip().lower(), name.strip(), HASHER.hash(password), role, structure_id),
    ).fetchone()
    return _user(row)


def get_user(conn: psycopg.Connection, user_id: int) -> User | None:
    return _user(conn.execute(f"SELECT {USER_COLUMNS} FROM users WHERE id = %s AND active",
                              (user_id,)).fetchone())


def find_user_by_email(conn: psycopg.Connection, email: str) -> User | None:
    return _user(conn.execute(f"SELECT {USER_COLUMNS} FROM users WHERE email = %s",
                              (email.strip().lower(),)).fetchone())


def failures_recently(conn: psycopg.Connection, email: str, ip: str) -> tuple[int, int]:
    row = conn.execute(
        "SELECT count(*) FILTER (WHERE email = %(e)s) AS by_email,"
        " count(*) FILTER (WHERE ip = %(ip)s) AS by_ip FROM login_attempts"
        " WHERE NOT success AND at > now() - %(w)s AND (email = %(e)s OR ip = %(ip)s)",
        {"e": email.strip().lower(), "ip": ip, "w": LOCK_WINDOW}).fetchone()
    return row["by_email"], row["by_ip"]


def is_locked(conn: psycopg.Connection, email: str, ip: str) -> bool:
    by_email, by_ip = failures_recently(conn, email, ip)
    return by_email >= MAX_FAILURES_PER_EMAIL or by_ip >= MAX_FAILURES_PER_IP


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
                      invited_by: int) -> Invitation:
    token = secrets.token_urlsafe(32)
    row = conn.execute(
        "INSERT INTO invitations (token_hash, email, role, structure_id, invited_by, expires_at)"
        " VALUES (%s, %s, %s, %s, %s, now() + %s) RETURNING email, expires_at",
        (_token_hash(token), email.strip().lower(), role, structure_id, invited_by,
         INVITATION_LIFETIME)).fetchone()
    return Invitation(uuid.uuid4(), token, row["email"], role, structure_id, row["expires_at"])


def pending_invitation(conn: psycopg.Connection, token: str) -> dict[str, Any] | None:
    return conn.execute(
        "SELECT token_hash, email, role, structure_id FROM invitations WHERE token_hash = %s"
        " AND used_at IS NULL AND expires_at > now() FOR UPDATE", (_token_hash(token),)).fetchone()


def accept_invitation(conn: psycopg.Connection, token: str, name: str, password: str) -> User | None:
    invitation = pending_invitation(conn, token)
    if invitation is None:
        return None
    conn.execute("UPDATE invitations SET used_at = now() WHERE token_hash = %s",
                 (invitation["token_hash"],))
    return create_user(conn, invitation["email"], name, password, invitation["role"],
                       invitation["structure_id"])
