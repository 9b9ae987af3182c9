"""The facilitator's pages over the real services, without a browser: members and buyers get
403 on every one of them, the facilitator's home is its list of lots, and a contract's hours
refused by accompagnement (a month entered twice is fine, a figure beyond the bound is not)
are shown by the field of that contract's form."""

import pytest

pytestmark = pytest.mark.integration

PAGES = ("/clauses", "/clauses/marches", "/clauses/1/note")
POSTS = ("/clauses/suivre", "/clauses/1/note", "/clauses/marches/1/heures")


def test_members_and_buyers_reach_none_of_the_facilitator_s_pages(stack, login, fresh_attempts,
                                                                    csrf):
    for who in ("member1", "buyer1"):
        session = login(who)
        token = csrf(session.get(f"{stack}/compte").text)
        for path in PAGES:
            assert session.get(stack + path, allow_redirects=False).status_code == 403, (who, path)
        for path in POSTS:
            answer = session.post(stack + path, data={"csrf_token": token, "tender_id": "1"},
                                  allow_redirects=False)
            assert answer.status_code == 403, (who, path)


def test_the_facilitator_starts_from_its_lots_and_reaches_no_case(stack, login, fresh_attempts):
    facilitator = login("facilitator")
    home = facilitator.get(f"{stack}/", allow_redirects=False)
    assert (home.status_code, home.headers["Location"]) == (302, "/clauses")
    listing = facilitator.get(f"{stack}/clauses")
    assert listing.status_code == 200 and "Marchés à clause sociale" in listing.text
    assert "Dossiers" not in listing.text.split("<main")[0]  # its menu holds its pages only
    # accompagnement refuses it the cases: the portail says so, nothing is shown
    assert facilitator.get(f"{stack}/dossiers", allow_redirects=False).status_code == 403
