"""A command that held a Temporal client leaves with its exit code and its output intact
(without the interpreter teardown where the client's threads can crash the process)."""

import os
import subprocess
import sys

import pytest

pytestmark = pytest.mark.integration

SCRIPT = """
import sys
from centrale.settings import load_settings
from centrale.temporal import TemporalBridge, client_was_made, leave
assert not client_was_made()
if sys.argv[1] == "connect":
    TemporalBridge(load_settings("centrale")).ping()
    assert client_was_made()
print("travail fait", flush=False)
leave(3)
"""


@pytest.mark.parametrize("mode", ["connect", "no-client"])
def test_leave_keeps_the_exit_code_and_the_output(mode):
    for _ in range(3):
        done = subprocess.run([sys.executable, "-c", SCRIPT, mode], env=dict(os.environ),
                              capture_output=True, text=True, timeout=60)
        assert (done.returncode, done.stdout) == (3, "travail fait\n"), done.stderr
