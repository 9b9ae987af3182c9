"""Signed links: what we sign reads back; anything else is refused."""

import pytest
from itsdangerous import URLSafeSerializer

from notifications.tokens import UNSUBSCRIBE_SALT, InvalidLink, LinkSigner

SECRET = "x" * 48


def test_an_unsubscribe_token_reads_back():
    signer = LinkSigner(SECRET)
    link = signer.read_unsubscribe(signer.unsubscribe_token("anne@regie.fr", "echeances"))
    assert (link.email, link.kind) == ("anne@regie.fr", "echeances")


def test_forged_altered_or_foreign_tokens_are_refused():
    signer = LinkSigner(SECRET)
    token = signer.unsubscribe_token("anne@regie.fr", "echeances")
    forged = URLSafeSerializer("y" * 48, salt=UNSUBSCRIBE_SALT).dumps(
        {"e": "anne@regie.fr", "k": "echeances"})
    payload, _, signature = token.rpartition(".")
    altered = URLSafeSerializer("y" * 48, salt=UNSUBSCRIBE_SALT).dumps(
        {"e": "paul@regie.fr", "k": "echeances"}).rpartition(".")[0] + "." + signature
    for bad in (forged, altered, token[:-2], "n'importe-quoi", signer.calendar_token(3)):
        with pytest.raises(InvalidLink):
            signer.read_unsubscribe(bad)


def test_a_calendar_token_names_its_structure_only():
    signer = LinkSigner(SECRET)
    assert signer.read_calendar(signer.calendar_token(3)) == (3, 0)
    assert signer.read_calendar(signer.calendar_token(3, 2)) == (3, 2)
    with pytest.raises(InvalidLink):
        signer.read_calendar(signer.unsubscribe_token("anne@regie.fr", "echeances"))
    with pytest.raises(InvalidLink):
        LinkSigner("z" * 48).read_calendar(signer.calendar_token(3))
