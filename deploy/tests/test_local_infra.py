"""Two checkouts on one machine share its servers, so they share its credentials and its mail
sink: a second checkout's ``make up`` or ``make test`` reuses what the first set up, never
changes the PostgreSQL or RabbitMQ password under it, and says where mail lands."""

import shutil
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def checkout(base: Path, name: str, existing_secrets: str | None = None) -> Path:
    """A checkout's deploy/local scripts, as a clone of the repository has them."""
    folder = base / name
    (folder / "deploy" / "local").mkdir(parents=True)
    for script in ("infra.sh", "addresses.sh"):
        shutil.copy(ROOT / "deploy" / "local" / script, folder / "deploy" / "local" / script)
    if existing_secrets is not None:
        (folder / ".run").mkdir()
        (folder / ".run" / "secrets.env").write_text(existing_secrets)
    return folder


def run(folder: Path, machine: Path, *args: str) -> str:
    done = subprocess.run(["bash", str(folder / "deploy" / "local" / args[0]), *args[1:]],
                          env={"PATH": "/usr/bin:/bin", "CENTRALE_MACHINE_STATE": str(machine)},
                          capture_output=True, text=True, timeout=60, check=True)
    return done.stdout


def env_of(folder: Path) -> dict[str, str]:
    lines = (folder / ".run" / "centrale.env").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if "=" in line)


def test_a_second_checkout_reuses_the_machine_s_credentials(tmp_path):
    machine = tmp_path / "machine"
    # The first checkout ran before credentials were the machine's: they are taken over.
    first = checkout(tmp_path, "premiere", existing_secrets=(
        "CENTRALE_PG_PASSWORD=premier\nCENTRALE_TOKEN_SECRET=" + "s" * 40 +
        "\nCENTRALE_AMQP_PASSWORD=lapin\n"))
    second = checkout(tmp_path, "seconde")
    run(first, machine, "infra.sh", "secrets")
    run(second, machine, "infra.sh", "secrets")
    for folder in (first, second):
        env = env_of(folder)
        assert env["CENTRALE_PG_PASSWORD"] == "premier"
        assert env["CENTRALE_AMQP_URL"] == "amqp://centrale:lapin@127.0.0.1:5672//"
        assert (folder / ".run" / "secrets.env").resolve() == (machine / "secrets.env")
    assert oct((machine / "secrets.env").stat().st_mode & 0o777) == "0o600"
    # Run again: nothing changes.
    run(second, machine, "infra.sh", "secrets")
    assert env_of(second)["CENTRALE_PG_PASSWORD"] == "premier"


def test_every_checkout_says_where_the_machine_s_mail_lands(tmp_path):
    machine = tmp_path / "machine"
    machine.mkdir()
    (machine / "mailbox.where").write_text(f"{machine}/mailbox\n")
    folder = checkout(tmp_path, "copie")
    printed = run(folder, machine, "addresses.sh")
    assert f"courriels reçus : {machine}/mailbox" in printed
    assert f"Secrets de la machine : {machine}/secrets.env" in printed


def test_the_broker_has_file_handles_for_every_test_run_s_queues():
    """The broker make starts (or reuses) holds at least RABBITMQ_MIN_HANDLES file handles:
    with a shell's 1024, a few test runs' quorum queues filled its handle cache and every new
    connection then hung in the AMQP handshake (CI failed so, its tests unable to connect)."""
    script = (ROOT / "deploy" / "local" / "infra.sh").read_text()
    wanted = int(script.split("RABBITMQ_MIN_HANDLES=", 1)[1].split()[0])
    info = subprocess.run(["rabbitmqctl", "-q", "eval", "file_handle_cache:info()."],
                          capture_output=True, text=True, timeout=60, check=True).stdout
    limit = int(info.split("{total_limit,", 1)[1].split("}", 1)[0])
    assert limit >= wanted, info
