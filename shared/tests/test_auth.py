import time

import jwt
import pytest

from centrale.auth import AuthError, bearer_token, issue_token, service_token, verify_token

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
