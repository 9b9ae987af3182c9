"""``accompagnement announce-structures``: every structure of the registry announced again, so
that a copy of the registry started after they were registered (formation's) hears of them;
``--dry-run`` announces nothing."""

import argparse

import pytest

from accompagnement.commands import COMMANDS
from centrale.testing import outbox_events

pytestmark = pytest.mark.integration


def test_every_structure_is_announced_again(settings, db, new_structure, capsys):
    structures = [new_structure(), new_structure()]
    _help, _arguments, command = COMMANDS["announce-structures"]

    def updated() -> set[int]:
        return {e["data"]["structure_id"] for e in outbox_events(db, "structure.updated")}

    assert command(argparse.Namespace(dry_run=True), settings) == 0
    assert "seraient annoncées" in capsys.readouterr().out
    assert not {s["id"] for s in structures} & updated()
    assert command(argparse.Namespace(dry_run=False), settings) == 0
    assert {s["id"] for s in structures} <= updated()
    assert "annoncées à nouveau" in capsys.readouterr().out
