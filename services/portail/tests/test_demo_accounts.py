"""Issue 16, point 12: the demo password ``make up`` prints opens the demo accounts, even on
databases that outlived ``.run/`` (the file holding it lost, a new one drawn) or after someone
changed a demo account's password."""

from dataclasses import replace

import pytest

from centrale.db import Database
from centrale.testing import prepared_settings
from portail import accounts
from portail.demo import ACCOUNTS, demo_password, load_demo

pytestmark = pytest.mark.integration


def opens(email: str, password: str) -> bool:
    db = Database.from_settings(prepared_settings("portail")).open()
    with db.transaction() as conn:
        user = accounts.authenticate(conn, email, password, "127.0.0.1")
    db.close()
    return user is not None


def test_the_printed_demo_password_always_opens_the_demo_accounts(stack, stack_urls, tmp_path):
    settings = replace(prepared_settings("portail"),
                       service_urls={**prepared_settings("portail").service_urls,
                                     "accompagnement": stack_urls["accompagnement"]})
    admin = ACCOUNTS[0][0]
    first_run = tmp_path / "first" / "demo-accounts.txt"
    load_demo(settings, dry_run=False, accounts_file=first_run)
    first = demo_password(first_run)
    assert opens(admin, first)
    # The demo's buyer is one, with its organisation, to post needs from its space.
    [buyer] = [email for email, _name, role, _org in ACCOUNTS if role == "acheteur"]
    assert opens(buyer, first)
    db = Database.from_settings(settings).open()
    with db.transaction() as conn:
        found = accounts.find_user_by_email(conn, buyer)
    db.close()
    assert (found.role, found.organisation, found.buyer_kind) == (
        "acheteur", "Ville de Saint-Chamond", "public")

    # Someone changed the admin's password and deactivated the advisor; .run/ is lost.
    db = Database.from_settings(settings).open()
    with db.transaction() as conn:
        accounts.change_password(conn, accounts.find_user_by_email(conn, admin).id, "autre-1234")
        accounts.set_active(conn, accounts.find_user_by_email(conn, ACCOUNTS[1][0]).id, False)
    db.close()
    second_run = tmp_path / "second" / "demo-accounts.txt"
    planned = load_demo(settings, dry_run=True, accounts_file=second_run)
    assert "à remettre au mot de passe" in planned and not second_run.exists()
    assert not opens(admin, first) and opens(admin, "autre-1234")  # the dry run changed nothing

    said = load_demo(settings, dry_run=False, accounts_file=second_run)
    second = demo_password(second_run)
    assert second != first and "remis au mot de passe indiqué" in said
    assert opens(admin, second) and opens(ACCOUNTS[1][0], second)
    assert not opens(admin, "autre-1234")
    # Again with the same file: nothing to reset, the same password still opens them.
    assert "0 remis" in load_demo(settings, dry_run=False, accounts_file=second_run)
    assert opens(admin, second)
