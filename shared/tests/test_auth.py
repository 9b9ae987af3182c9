import time

import jwt
import pytest

from centrale.auth import (MAX_LIFETIME_S, AuthError, bearer_token, issue_token, service_token,
                           verify_token)

SECRET = "s" * 48


def test_service_token_round_trip():
    identity = verify_token(SECRET, service_token(SECRET, "veille"))
    assert identity.role == "service"
    assert identity.subject == "service:veille"
    assert identity.issuer == "veille"
    assert identity.is_staff


def test_member_token_carries_structure_and_limits_access():
    token = issue_token(SECRET, "portail", "user:12", "membre", structure_id=7)
    identity = verify_token(SECRET, token)
    assert identity.structure_id == 7
    assert identity.may_access_structure(7)
    assert not identity.may_access_structure(8)
    assert not identity.is_staff


def test_forged_signature_is_refused():
    forged = issue_token("x" * 48, "portail", "user:1", "admin")
    with pytest.raises(AuthError, match="invalide"):
        verify_token(SECRET, forged)


def test_expired_token_is_refused():
    token = issue_token(SECRET, "portail", "user:1", "conseiller", ttl_s=-10)
    with pytest.raises(AuthError, match="expiré"):
        verify_token(SECRET, token)


def test_unsigned_token_is_refused():
    unsigned = jwt.encode({"sub": "x", "role": "admin", "iss": "me", "aud": "centrale",
                           "iat": int(time.time()), "exp": int(time.time()) + 60},
                          key=None, algorithm="none")
    with pytest.raises(AuthError):
        verify_token(SECRET, unsigned)


def test_member_without_structure_cannot_be_issued_nor_accepted():
    with pytest.raises(ValueError):
        issue_token(SECRET, "portail", "user:1", "membre")
    now = int(time.time())
    token = jwt.encode({"sub": "u", "role": "membre", "iss": "p", "aud": "centrale",
                        "iat": now, "exp": now + 60}, SECRET, algorithm="HS256")
    with pytest.raises(AuthError, match="structure"):
        verify_token(SECRET, token)


@pytest.mark.parametrize("header", [None, "", "Basic abc", "Bearer ", "Token x"])
def test_bearer_header_is_required(header):
    with pytest.raises(AuthError):
        bearer_token(header)


def _signed(**claims):
    now = int(time.time())
    base = {"iss": "portail", "sub": "user:1", "role": "membre", "aud": "centrale",
            "iat": now, "exp": now + 60, "structure_id": 1}
    return jwt.encode({**base, **claims}, SECRET, algorithm="HS256")


@pytest.mark.parametrize("claims", [
    {"structure_id": True},        # a boolean is not structure 1
    {"structure_id": 1.0},
    {"structure_id": "1"},
    {"structure_id": 0},
    {"role": ["membre"]},
    {"sub": 12},
    {"email": ["a@b.fr"]},
    {"exp": 60.5},  # seconds from when the test runs: a float is no instant
])
def test_claims_of_the_wrong_type_are_refused(claims):
    if "exp" in claims:  # from the test's own time, not the collection's (it would expire)
        claims = {**claims, "exp": int(time.time()) + claims["exp"]}
    with pytest.raises(AuthError, match="invalide"):  # PyJWT checks some itself (sub)
        verify_token(SECRET, _signed(**claims))


def test_a_lifetime_longer_than_the_platform_mints_is_refused():
    now = int(time.time())
    with pytest.raises(AuthError, match="durée de validité"):
        verify_token(SECRET, _signed(iat=now, exp=now + 10 * 365 * 86400))
    # Backdated issue with a far expiry: still more than an hour ahead.
    with pytest.raises(AuthError, match="durée de validité"):
        verify_token(SECRET, _signed(iat=now - 10 * 365 * 86400, exp=now + 7200))
    with pytest.raises(AuthError):
        verify_token(SECRET, _signed(iat=now + 3600, exp=now + 3660))  # issued in the future
    with pytest.raises(ValueError):
        issue_token(SECRET, "portail", "user:1", "admin", ttl_s=MAX_LIFETIME_S + 1)
    longest = issue_token(SECRET, "cli", "service:cli", "service", ttl_s=MAX_LIFETIME_S)
    assert verify_token(SECRET, longest).role == "service"
    assert verify_token(SECRET, _signed()).structure_id == 1
