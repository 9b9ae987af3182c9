"""Sustained load on the running platform (``make load``, ``python -m bench.load``): tender
search on veille and the case board on accompagnement, at a fixed total rate.

    python -m bench.load [--seconds 60] [--rate 50] [--board-share 0.2] [--users N]
                         [--veille-url http://127.0.0.1:8001]
                         [--accompagnement-url http://127.0.0.1:8002] [--stop-file PATH]

``--stop-file`` ends the load early once that file exists (a drill that runs it for as long
as its own work lasts).

Locust (headless, from Python) runs ``--users`` simulated users, each paced by
``constant_throughput(rate / users)``: together they send ``--rate`` requests per second as long
as each user's request takes less than ``users / rate`` seconds. That pacing is closed-loop:
a server slower than that lowers the achieved rate instead of queueing more requests, which is
why the achieved rate is printed next to the target. Latencies are measured on every request
(not locust's rounded histogram); an error is an exception or any status outside 2xx.

Prints per endpoint requests, errors, achieved rate and latency p50/p90/p95/p99/max, and
writes them under "load" in bench-results.json. Only loopback addresses are accepted.
"""

from __future__ import annotations

# Locust patches the standard library with gevent on import: it comes first.
from locust import FastHttpUser, constant_throughput, events, task  # isort: skip
from locust.env import Environment  # isort: skip

import argparse
import ipaddress
import json
import os
import random
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import gevent

from centrale.auth import MAX_LIFETIME_S, service_token

ROOT = Path(__file__).resolve().parents[1]
SEARCH = "tender_search"
BOARD = "case_board"

WORDS = ["nettoyage", "espaces verts", "entretien des locaux", "restauration collective",
         "blanchisserie", "collecte des déchets", "tonte et élagage", "propreté urbaine",
         "menuiserie", "peinture", "second œuvre", "repas à domicile", "numérisation",
         "recyclage des encres", "mobilier de bureau", "transport de personnes",
         "conciergerie", "signalétique", "insertion", "chantier d'insertion",
         "entretien des cimetières", "déménagement", "reprographie", "gardiennage",
         "vitrerie", "débroussaillage", "nettoyage des écoles", "ménage",
         "création de jardins", "travaux de maçonnerie"]
DEPARTMENTS = ["42", "43", "69", "63", "03", "07", "01", "38", "71", "15"]
CPV_PREFIXES = ["9091", "7731", "5552", "9051", "4544", "4542", "7971", "3919", "6010", "9061"]
RESERVATIONS = ["insertion", "sheltered_workshop", "ess"]


def tender_query(rng: random.Random) -> dict:
    """One search as people make them: words, a département, a CPV family, filters, a sort."""
    kinds = [
        lambda: {"q": rng.choice(WORDS)},
        lambda: {"q": rng.choice(WORDS), "department": rng.choice(DEPARTMENTS)},
        lambda: {"q": rng.choice(WORDS), "status": "open", "sort": "relevance"},
        lambda: {"q": f"{rng.choice(WORDS)} {rng.choice(WORDS)}", "status": "open"},
        lambda: {"cpv": rng.choice(CPV_PREFIXES), "status": "open", "sort": "deadline"},
        lambda: {"department": rng.choice(["42", "43"]), "status": "open",
                 "sort": "deadline"},
        lambda: {"reserved": "true", "department": rng.choice(DEPARTMENTS)},
        lambda: {"reservation": rng.choice(RESERVATIONS), "in_territory": "true"},
        lambda: {"q": rng.choice(WORDS), "min_value": rng.choice([10000, 40000, 90000]),
                 "max_value": rng.choice([200000, 500000, 2000000])},
        lambda: {"status": "open", "sort": "-updated"},
    ]
    return rng.choice(kinds)()


def loopback_url(url: str) -> str:
    """The URL without its trailing slash; refused unless it names a loopback address."""
    host = urlsplit(url).hostname or ""
    try:
        loopback = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        loopback = False
    if urlsplit(url).scheme not in ("http", "https") or not loopback:
        raise SystemExit(f"load : {url} n'est pas une adresse locale (127.0.0.1, ::1, "
                         "localhost) : refusé.")
    return url.rstrip("/")


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def summary(latencies_ms: list[float], errors: int, seconds: float) -> dict:
    ordered = sorted(latencies_ms)
    figures = {"requests": len(ordered), "errors": errors,
               "achieved_rate": round(len(ordered) / seconds, 1)}
    for name, share in (("p50", .50), ("p90", .90), ("p95", .95), ("p99", .99)):
        figures[f"{name}_ms"] = round(percentile(ordered, share), 1) if ordered else None
    figures["max_ms"] = round(ordered[-1], 1) if ordered else None
    return figures


def run(seconds: float, rate: float, veille_url: str, accompagnement_url: str,
        board_share: float = 0.2, users: int | None = None, seed: int = 7,
        stop_file: Path | None = None) -> dict:
    users = users or max(10, int(rate))  # one request per user per second at the default
    # A token lives an hour at most (centrale.auth): longer loads would need a new one.
    headers = {"Authorization": "Bearer " + service_token(
        os.environ["CENTRALE_TOKEN_SECRET"], "load",
        ttl_s=min(int(seconds) + 600, MAX_LIFETIME_S))}
    rng = random.Random(seed)
    search_weight = max(1, round(100 * (1 - board_share)))
    board_weight = max(0, round(100 * board_share))

    class Visitor(FastHttpUser):
        host = veille_url
        wait_time = constant_throughput(rate / users)

        @task(search_weight)
        def search(self):
            self.client.get(f"{veille_url}/api/tenders", name=SEARCH, headers=headers,
                            params=tender_query(rng))

        @task(board_weight)
        def board(self):
            self.client.get(f"{accompagnement_url}/api/cases", name=BOARD, headers=headers,
                            params={"open": "true", "limit": 200})

    latencies: dict[str, list[float]] = {SEARCH: [], BOARD: []}
    errors = {SEARCH: 0, BOARD: 0}
    samples: list[tuple[str, int, str]] = []  # a few errors to show

    measuring = False  # the users' first requests, while they spawn, are not counted

    def on_request(request_type, name, response_time, response_length, response=None,
                   exception=None, **kwargs):
        if not measuring:
            return
        latencies[name].append(response_time)
        status = getattr(response, "status_code", 0) or 0
        if exception is not None or not 200 <= status < 300:
            errors[name] += 1
            if len(samples) < 5:
                samples.append((name, status, str(exception)[:200]))

    env = Environment(user_classes=[Visitor], events=events)
    env.events.request.add_listener(on_request)
    runner = env.create_local_runner()
    try:
        runner.start(users, spawn_rate=min(100, users * 10))
        while runner.user_count < users:
            gevent.sleep(0.05)
        measuring, started = True, time.monotonic()
        while time.monotonic() - started < seconds and not (stop_file and stop_file.exists()):
            gevent.sleep(min(0.5, max(0.0, seconds - (time.monotonic() - started))))
        measuring, elapsed = False, time.monotonic() - started
        runner.stop()
    finally:
        runner.quit()
        env.events.request.remove_listener(on_request)
    return {"seconds": round(elapsed, 1), "target_rate": rate, "users": users,
            "board_share": board_share,
            "endpoints": {name: summary(latencies[name], errors[name], elapsed)
                          for name in (SEARCH, BOARD)},
            "total": summary(latencies[SEARCH] + latencies[BOARD],
                             errors[SEARCH] + errors[BOARD], elapsed),
            "error_samples": [{"endpoint": n, "status": s, "exception": e}
                              for n, s, e in samples]}


def reachable(url: str) -> bool:
    from geventhttpclient import HTTPClient
    from geventhttpclient.url import URL

    try:
        client = HTTPClient.from_url(URL(f"{url}/healthz"), connection_timeout=3,
                                     network_timeout=3)
        try:
            return client.get(URL(f"{url}/healthz").request_uri).status_code == 200
        finally:
            client.close()
    except Exception:  # refused, reset, timed out: the service is not there
        return False


def print_figures(figures: dict) -> None:
    print(f"charge : {figures['seconds']} s, cible {figures['target_rate']} req/s, "
          f"{figures['users']} utilisateurs")
    print(f"{'endpoint':<14}{'req':>7}{'err':>6}{'req/s':>8}{'p50':>8}{'p90':>8}{'p95':>8}"
          f"{'p99':>8}{'max':>8}  (ms)")
    rows = {**figures["endpoints"], "total": figures["total"]}
    for name, f in rows.items():
        cells = [f"{f[k]:>8.1f}" if f[k] is not None else f"{'-':>8}"
                 for k in ("p50_ms", "p90_ms", "p95_ms", "p99_ms", "max_ms")]
        print(f"{name:<14}{f['requests']:>7}{f['errors']:>6}{f['achieved_rate']:>8.1f}"
              + "".join(cells))
    for sample in figures["error_samples"]:
        print(f"  erreur {sample['endpoint']} : statut {sample['status']} {sample['exception']}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split(
        "\n\n")[0])
    parser.add_argument("--seconds", type=float, default=60.0, help="durée (60 s)")
    parser.add_argument("--rate", type=float, default=50.0, help="requêtes par seconde (50)")
    parser.add_argument("--board-share", type=float, default=0.2,
                        help="part des requêtes sur le tableau des dossiers (0.2)")
    parser.add_argument("--users", type=int, default=None,
                        help="utilisateurs simulés (par défaut max(10, rate))")
    parser.add_argument("--veille-url", default=os.environ.get("CENTRALE_VEILLE_URL",
                                                               "http://127.0.0.1:8001"))
    parser.add_argument("--accompagnement-url", default=os.environ.get(
        "CENTRALE_ACCOMPAGNEMENT_URL", "http://127.0.0.1:8002"))
    parser.add_argument("--stop-file", type=Path, default=None,
                        help="s'arrête plus tôt dès que ce fichier existe")
    parser.add_argument("--no-write", action="store_true",
                        help="ne pas écrire bench-results.json")
    args = parser.parse_args(argv)
    if args.seconds <= 0 or args.rate <= 0 or not 0 <= args.board_share <= 1:
        parser.error("--seconds et --rate positifs, --board-share entre 0 et 1")
    veille, accompagnement = loopback_url(args.veille_url), loopback_url(args.accompagnement_url)
    missing = [url for url in (veille, accompagnement) if not reachable(url)]
    if missing:
        print(f"load : {', '.join(missing)} ne répond pas sur /healthz (make up ?)")
        return 1
    figures = run(args.seconds, args.rate, veille, accompagnement, args.board_share, args.users,
                  stop_file=args.stop_file)
    figures["veille_url"], figures["accompagnement_url"] = veille, accompagnement
    print_figures(figures)
    if not args.no_write:
        path = ROOT / "bench-results.json"
        results = json.loads(path.read_text()) if path.exists() else {}
        results["load"] = figures
        path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
        print(f"écrit {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
