"""Run every benchmark once, print the figures, write bench-results.json at the repo root."""

from __future__ import annotations

import json
import sys

from tqdm import tqdm

from . import (bus_bench, market_bench, notifications_bench, search_bench, veille_bench,
               workflows_bench)
from .synthetic import ROOT

SECTIONS = {
    "ingest": veille_bench.ingest,
    "matching": veille_bench.matching,
    "search": search_bench.run,
    "backfill": market_bench.backfill,
    "awards": market_bench.awards,
    "bus": bus_bench.run,
    "workflows": workflows_bench.run,
    "notifications": notifications_bench.run,
}


def main(argv: list[str]) -> int:
    wanted = argv or list(SECTIONS)
    unknown = [name for name in wanted if name not in SECTIONS]
    if unknown:
        print(f"bench : inconnu {unknown}, au choix {list(SECTIONS)}")
        return 2
    path = ROOT / "bench-results.json"
    results = json.loads(path.read_text()) if path.exists() else {}
    for name in tqdm(wanted, desc="bench", unit="section"):
        results[name] = SECTIONS[name]()
        tqdm.write(f"{name}: {json.dumps(results[name], ensure_ascii=False)}")
    path.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"écrit {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
