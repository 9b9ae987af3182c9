"""Container health check (python:3.11-slim ships no curl).

    python /app/deploy/healthcheck.py            # GET /readyz of the web process
    python /app/deploy/healthcheck.py /healthz
    python /app/deploy/healthcheck.py /healthz metrics   # a worker or bus process

Asks http://127.0.0.1:<port>/<path>, the port being the one of CENTRALE_BIND (the address
gunicorn listens on), or with ``metrics`` CENTRALE_METRICS_PORT (where a worker or bus process
serves its metrics and its /healthz). Exits 0 on HTTP 200, 1 otherwise, printing why: Docker keeps that
output, so `docker inspect --format '{{json .State.Health}}' <container>` shows which
dependency (database, broker, Temporal) made /readyz fail.
"""

import os
import sys
import urllib.error
import urllib.request


def main(argv: list[str]) -> int:
    path = argv[1] if len(argv) > 1 else "/readyz"
    if len(argv) > 2 and argv[2] == "metrics":
        port = os.environ.get("CENTRALE_METRICS_PORT", "9100")
    else:
        port = os.environ.get("CENTRALE_BIND", "0.0.0.0:8000").rsplit(":", 1)[-1]
    url = f"http://127.0.0.1:{port}{path}"
    # Never go through an HTTP proxy set in the environment: this is a loopback request.
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=float(os.environ.get("CENTRALE_HEALTHCHECK_TIMEOUT", "4"))) as response:
            status, body = response.status, response.read(2000)
    except urllib.error.HTTPError as error:  # 4xx/5xx: the body says which check failed
        status, body = error.code, error.read(2000)
    except OSError as error:  # refused, timed out, DNS...
        print(f"{url}: {error}", file=sys.stderr)
        return 1
    text = body.decode("utf-8", "replace").strip()
    print(f"{url}: HTTP {status} {text}")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
