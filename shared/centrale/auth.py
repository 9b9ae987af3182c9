"""Signed bearer tokens between services, carrying the identity of the person acting.

A token is a JWT signed with HMAC-SHA256 and the platform's shared secret. Its claims say who
acts (``sub``), with which ``role`` (``service`` for a machine acting on its own behalf, or
``admin``, ``conseiller``, ``membre``, ``acheteur`` — a public or private buyer posting its
needs —, ``facilitateur`` — the territory's facilitator of social clauses) and, for a
structure's member, which ``structure_id`` they belong to. Buyers and facilitators are neither
staff nor members: they reach only the routes opened to their role (``centrale.access``). Every ``/api/`` request must carry one: there are no anonymous reads or writes.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import jwt

ROLES = ("service", "admin", "conseiller", "membre", "acheteur", "facilitateur")
STAFF_ROLES = ("service", "admin", "conseiller")
ALGORITHM = "HS256"
AUDIENCE = "centrale"
# The longest lifetime any process mints (``make token`` and the benchmarks: one hour; the
# services 60 to 300 s): a token claiming more was not made by us, whatever its signature.
MAX_LIFETIME_S = 3600
# Clocks of two machines may differ by this much.
LEEWAY_S = 30


class AuthError(Exception):
    """The request's token is missing, malformed, expired or not signed by us."""


class Roles:
    """What a person's role lets them see, said the same way by a token's identity and by the
    portail's account: both have a ``role`` and a ``structure_id``."""

    role: str
    structure_id: int | None

    @property
    def is_staff(self) -> bool:
        """Services, admins and advisors see every structure's data."""
        return self.role in STAFF_ROLES

    @property
    def is_member(self) -> bool:
        """A structure's member (their token names the structure)."""
        return self.role == "membre" and self.structure_id is not None

    @property
    def is_buyer(self) -> bool:
        return self.role == "acheteur"

    @property
    def is_facilitator(self) -> bool:
        return self.role == "facilitateur"


@dataclass(frozen=True)
class Identity(Roles):
    subject: str
    role: str
    structure_id: int | None = None
    issuer: str = ""
    email: str | None = None

    def may_access_structure(self, structure_id: int | None) -> bool:
        return self.is_staff or (structure_id is not None and structure_id == self.structure_id)


def issue_token(secret: str, issuer: str, subject: str, role: str,
                structure_id: int | None = None, email: str | None = None,
                ttl_s: int = 300) -> str:
    if role not in ROLES:
        raise ValueError(f"unknown role {role!r}")
    if ttl_s > MAX_LIFETIME_S:
        raise ValueError(f"a token lives at most {MAX_LIFETIME_S} s")
    if role == "membre" and structure_id is None:
        raise ValueError("a member's token names their structure")
    now = int(time.time())
    claims = {"iss": issuer, "sub": subject, "role": role, "aud": AUDIENCE,
              "iat": now, "exp": now + ttl_s}
    if structure_id is not None:
        claims["structure_id"] = structure_id
    if email:
        claims["email"] = email
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def service_token(secret: str, service: str, ttl_s: int = 300) -> str:
    return issue_token(secret, service, f"service:{service}", "service", ttl_s=ttl_s)


def verify_token(secret: str, token: str) -> Identity:
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM], audience=AUDIENCE,
                            options={"require": ["exp", "iat", "sub", "iss"]})
    except jwt.ExpiredSignatureError as exc:
        raise AuthError("Jeton expiré.") from exc
    except jwt.InvalidTokenError as exc:
        raise AuthError("Jeton invalide.") from exc
    _check_claim_types(claims)
    role = claims.get("role")
    if role not in ROLES:
        raise AuthError("Rôle inconnu dans le jeton.")
    structure_id = claims.get("structure_id")
    if role == "membre" and structure_id is None:
        raise AuthError("Le jeton d'un membre doit désigner sa structure.")
    now = time.time()
    if claims["iat"] > now + LEEWAY_S or claims["exp"] - claims["iat"] > MAX_LIFETIME_S \
            or claims["exp"] > now + MAX_LIFETIME_S + LEEWAY_S:
        raise AuthError("Jeton invalide : durée de validité au-delà de ce que la plateforme "
                        "délivre.")
    return Identity(subject=claims["sub"], role=role, structure_id=structure_id,
                    issuer=claims["iss"], email=claims.get("email"))


def _integer(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _text(value) -> bool:
    return isinstance(value, str)


# Each claim of its JSON type: ``true`` is no structure number, ``1.0`` no instant.
_CLAIM_TYPES = {"sub": _text, "iss": _text, "role": _text, "exp": _integer, "iat": _integer,
                "structure_id": _integer, "email": _text}
_OPTIONAL = ("structure_id", "email")


def _check_claim_types(claims: dict) -> None:
    for name, valid in _CLAIM_TYPES.items():
        value = claims.get(name)
        if value is None and name in _OPTIONAL:
            continue
        if not valid(value):
            raise AuthError(f"Jeton invalide : la revendication « {name} » n'a pas le type "
                            "attendu.")
    if claims.get("structure_id") is not None and claims["structure_id"] <= 0:
        raise AuthError("Jeton invalide : numéro de structure impossible.")


def bearer_token(authorization_header: str | None) -> str:
    if not authorization_header:
        raise AuthError("Authentification requise : en-tête Authorization manquant.")
    scheme, _, token = authorization_header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("Authentification requise : un jeton « Bearer » est attendu.")
    return token.strip()
