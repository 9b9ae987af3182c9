"""Gunicorn settings shared by the four web processes (veille, accompagnement, formation,
notifications). Everything that differs between deployments comes from the environment:

    CENTRALE_BIND                 address to listen on            (default 0.0.0.0:8000)
    CENTRALE_WEB_WORKERS          worker processes                (default 2)
    CENTRALE_WEB_THREADS          threads per worker              (default 4)
    CENTRALE_WEB_TIMEOUT          seconds before a silent worker is killed and restarted (30)
    CENTRALE_FORWARDED_ALLOW_IPS  proxies trusted for X-Forwarded-* (default 127.0.0.1,::1)
    CENTRALE_LOG_LEVEL            gunicorn's own log level        (default info)

Used as:  gunicorn --config /app/deploy/gunicorn.conf.py "veille.app:create_app()"
"""

import os


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# --- Sockets and processes -------------------------------------------------------------------
bind = os.environ.get("CENTRALE_BIND", "0.0.0.0:8000")
workers = _int("CENTRALE_WEB_WORKERS", 2)
threads = _int("CENTRALE_WEB_THREADS", 4)
worker_class = "gthread"  # threads share a worker's psycopg pool; I/O-bound requests
# Heartbeat files on tmpfs: a container's overlay filesystem can stall the heartbeat.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# No preload_app: each worker opens its own database pool and broker connection after fork.

# --- Metrics ----------------------------------------------------------------------------------
# /metrics must count every worker's requests, whichever worker answers: prometheus-client's
# multiprocess mode keeps each worker's figures in files of one directory, set when the master
# starts (before any worker imports the client) unless the environment names one (an empty
# directory: a Kubernetes emptyDir), and forgets a dead worker's live gauges.


def on_starting(server):
    import tempfile

    if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
        os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="centrale-metrics-",
                                                                  dir=shm)
        os.environ["CENTRALE_METRICS_DIR_OWNED"] = "1"


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)


def on_exit(server):
    import shutil

    if os.environ.get("CENTRALE_METRICS_DIR_OWNED") == "1":
        shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)


# --- Time limits -------------------------------------------------------------------------------
timeout = _int("CENTRALE_WEB_TIMEOUT", 30)
# On SIGTERM (docker stop, rolling update) finish in-flight requests for up to this long;
# compose's stop_grace_period for the web containers is longer than this.
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then, so that a slow leak never takes a process down.
max_requests = 2000
max_requests_jitter = 200

# --- Request limits (gunicorn's defaults, stated here so that they are a decision) ------------
limit_request_line = 4094  # bytes in the request line (method, path and query string)
limit_request_fields = 100  # number of header fields
limit_request_field_size = 8190  # bytes per header field (JWT-like service tokens fit easily)

# --- Behind a reverse proxy ---------------------------------------------------------------------
# Only these addresses may set X-Forwarded-For / X-Forwarded-Proto. "*" trusts everyone:
# use it only when the container is reachable from the proxy alone.
forwarded_allow_ips = os.environ.get("CENTRALE_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# --- Logs: everything to stdout/stderr, the container runtime collects them ----------------------
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("CENTRALE_LOG_LEVEL", "info").lower()
# One JSON-like object per request (values are not escaped, so a header containing a double
# quote yields an invalid line: good enough for grep and most log shippers).
access_log_format = (
    '{"type": "access", "time": "%(t)s", "remote": "%(h)s", "method": "%(m)s", '
    '"path": "%(U)s", "query": "%(q)s", "status": %(s)s, "bytes": "%(B)s", '
    '"duration_us": %(D)s, "request_id": "%({x-request-id}i)s", '
    '"user_agent": "%(a)s", "referer": "%(f)s"}'
)
