"""Settings read from the environment, with defaults that work on a developer's machine.

Every variable is prefixed with ``CENTRALE_``. A service reads its settings once, at start-up,
through :func:`load_settings`; nothing else in the code base reads ``os.environ``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from urllib.parse import quote, urlsplit

SERVICE_PORTS = {
    "portail": 8000,
    "veille": 8001,
    "accompagnement": 8002,
    "formation": 8003,
    "notifications": 8004,
}


class SettingsError(RuntimeError):
    """A required setting is missing or malformed."""


# CENTRALE_ENVIRONMENT: a developer's machine (make up, make test) unless it says otherwise;
# deploy/env.example and docker-compose.yml say production.
DEVELOPMENT = "development"


@dataclass(frozen=True)
class Settings:
    service: str
    pg_host: str = "127.0.0.1"
    pg_port: int = 5432
    pg_user: str = "centrale"
    pg_password: str = ""
    db_name: str = ""
    db_pool_min: int = 1
    db_pool_max: int = 10
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672//"
    exchange: str = "centrale.events"
    queue_prefix: str = ""
    bus_max_attempts: int = 5
    bus_retry_delay_ms: int = 2000
    # Test runs only: their queues vanish once unused that long (0 keeps queues forever).
    queue_expires_ms: int = 0
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    task_queue: str = ""
    token_secret: str = ""
    token_ttl_s: int = 300
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    service_urls: dict[str, str] = field(default_factory=dict)
    log_level: str = "INFO"
    max_body_bytes: int = 2 * 1024 * 1024
    # Prometheus: where a worker or bus process serves its metrics (0: not served), and the
    # Temporal SDK's own endpoint in a worker process.
    metrics_host: str = "127.0.0.1"
    metrics_port: int = 0
    temporal_metrics_port: int = 0
    environment: str = DEVELOPMENT
    # Every CENTRALE_* variable, for the settings one service alone reads (see option()).
    options: dict[str, str] = field(default_factory=dict)

    @property
    def portail_public_url(self) -> str:
        """Where people's browsers reach the portail (``CENTRALE_PORTAIL_PUBLIC_URL``, without
        a trailing slash): every link sent to someone is built on it, never on the ``Host`` a
        request claims (an invitation would otherwise point wherever an attacker said).
        Required outside development; there, the portail's own address."""
        url = self.option("PORTAIL_PUBLIC_URL").rstrip("/")
        if not url:
            if self.environment == DEVELOPMENT:
                return self.service_urls.get("portail", "http://127.0.0.1:8000").rstrip("/")
            raise SettingsError("CENTRALE_PORTAIL_PUBLIC_URL est obligatoire hors "
                                "développement (l'adresse du portail vue des navigateurs, "
                                "par exemple https://marches-solidaires.fr).")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
                or parts.fragment:
            raise SettingsError(f"CENTRALE_PORTAIL_PUBLIC_URL doit être une adresse http(s) "
                                f"sans paramètres, reçu {url!r}.")
        return url

    @property
    def portail_over_https(self) -> bool:
        """Whether the portail is reached over HTTPS: its cookies are then Secure and its
        pages ask for HTTPS only (HSTS)."""
        return self.portail_public_url.startswith("https://")

    def option(self, name: str, default: str = "") -> str:
        """A service's own setting: ``settings.option("VEILLE_DEPARTMENTS", "42,43")`` reads
        ``CENTRALE_VEILLE_DEPARTMENTS``."""
        value = self.options.get(f"CENTRALE_{name}")
        return default if value in (None, "") else value

    @property
    def db_dsn(self) -> str:
        """A libpq URI for this service's own database."""
        auth = quote(self.pg_user, safe="")
        if self.pg_password:
            auth += ":" + quote(self.pg_password, safe="")
        return f"postgresql://{auth}@{self.pg_host}:{self.pg_port}/{self.db_name}"

    def dsn_for(self, database: str) -> str:
        return replace(self, db_name=database).db_dsn

    def require_token_secret(self) -> str:
        if len(self.token_secret) < 32:
            raise SettingsError(
                "CENTRALE_TOKEN_SECRET doit contenir au moins 32 caractères "
                "(make up en génère un dans .run/secrets.env)."
            )
        return self.token_secret


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} doit être un entier, reçu {raw!r}") from exc


def load_settings(service: str, env: dict[str, str] | None = None) -> Settings:
    """Read the settings of ``service`` from ``env`` (the process environment by default)."""
    env = dict(os.environ if env is None else env)
    get = env.get
    upper = service.upper()
    urls = {
        name: get(f"CENTRALE_{name.upper()}_URL", f"http://127.0.0.1:{port}")
        for name, port in SERVICE_PORTS.items()
    }
    return Settings(
        service=service,
        pg_host=get("CENTRALE_PG_HOST", "127.0.0.1"),
        pg_port=_int(env, "CENTRALE_PG_PORT", 5432),
        pg_user=get("CENTRALE_PG_USER", "centrale"),
        pg_password=get("CENTRALE_PG_PASSWORD", ""),
        db_name=get(f"CENTRALE_{upper}_DB") or get("CENTRALE_DB_NAME") or f"centrale_{service}",
        db_pool_min=_int(env, "CENTRALE_DB_POOL_MIN", 1),
        db_pool_max=_int(env, "CENTRALE_DB_POOL_MAX", 10),
        amqp_url=get("CENTRALE_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//"),
        exchange=get("CENTRALE_EXCHANGE", "centrale.events"),
        queue_prefix=get("CENTRALE_QUEUE_PREFIX", ""),
        bus_max_attempts=_int(env, "CENTRALE_BUS_MAX_ATTEMPTS", 5),
        bus_retry_delay_ms=_int(env, "CENTRALE_BUS_RETRY_DELAY_MS", 2000),
        queue_expires_ms=_int(env, "CENTRALE_QUEUE_EXPIRES_MS", 0),
        temporal_address=get("CENTRALE_TEMPORAL_ADDRESS", "127.0.0.1:7233"),
        temporal_namespace=get("CENTRALE_TEMPORAL_NAMESPACE", "default"),
        task_queue=get(f"CENTRALE_{upper}_TASK_QUEUE") or get("CENTRALE_TASK_QUEUE") or service,
        token_secret=get("CENTRALE_TOKEN_SECRET", ""),
        token_ttl_s=_int(env, "CENTRALE_TOKEN_TTL_S", 300),
        smtp_host=get("CENTRALE_SMTP_HOST", "127.0.0.1"),
        smtp_port=_int(env, "CENTRALE_SMTP_PORT", 1025),
        service_urls=urls,
        log_level=get("CENTRALE_LOG_LEVEL", "INFO").upper(),
        max_body_bytes=_int(env, "CENTRALE_MAX_BODY_BYTES", 2 * 1024 * 1024),
        metrics_host=get("CENTRALE_METRICS_HOST", "127.0.0.1"),
        metrics_port=_int(env, "CENTRALE_METRICS_PORT", 0),
        temporal_metrics_port=_int(env, "CENTRALE_TEMPORAL_METRICS_PORT", 0),
        environment=get("CENTRALE_ENVIRONMENT", "") or DEVELOPMENT,
        options={k: v for k, v in env.items() if k.startswith("CENTRALE_")},
    )
