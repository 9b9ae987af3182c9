"""The alerting rules of deploy/prometheus/: valid for Prometheus (``promtool check rules``),
and each alert firing and not firing as its unit tests say (``promtool test rules``).
``make test`` installs Debian's prometheus, which carries promtool."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import yaml

PROMETHEUS = Path(__file__).resolve().parents[1] / "prometheus"
RULES = PROMETHEUS / "alerts.yml"
RULE_TESTS = PROMETHEUS / "alerts.test.yml"


def promtool() -> str:
    found = shutil.which("promtool")
    assert found, "promtool absent : make test l'installe (paquet Debian prometheus)"
    return found


def test_the_rules_are_valid():
    result = subprocess.run([promtool(), "check", "rules", str(RULES)], capture_output=True,
                            text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"SUCCESS: \d+ rules found", result.stdout + result.stderr)


def test_every_alert_fires_and_stays_quiet_as_its_cases_say():
    result = subprocess.run([promtool(), "test", "rules", RULE_TESTS.name], cwd=PROMETHEUS,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS" in result.stdout + result.stderr


def test_each_alert_has_a_case_firing_and_a_case_not_firing():
    alerts = {rule["alert"] for group in yaml.safe_load(RULES.read_text())["groups"]
              for rule in group["rules"] if "alert" in rule}
    assert {"CentraleOutboxBacklog", "CentraleDeadLetters", "CentraleFeedStale",
            "CentraleNotReady", "CentraleEmailFailureRate"} <= alerts
    firing, quiet = set(), set()
    for case in yaml.safe_load(RULE_TESTS.read_text())["tests"]:
        for check in case.get("alert_rule_test", []):
            (firing if check.get("exp_alerts") else quiet).add(check["alertname"])
    assert firing == alerts, alerts - firing
    assert quiet == alerts, alerts - quiet
