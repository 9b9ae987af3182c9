"""Memory figures of the benchmarks: peak resident memory of a process (Linux), and what
Python allocates for a piece of work (tracemalloc), in MiB."""

from __future__ import annotations

import tracemalloc
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
MIB = 1024 * 1024


def peak_rss_mib(pid: int) -> float:
    """The process's high-water mark of resident memory so far (VmHWM)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    raise RuntimeError(f"no VmHWM for process {pid}")


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        found += [int(p) for p in (task / "children").read_text().split()]
    return found


def traced(work: Callable[[], T]) -> tuple[T, float, float]:
    """Run ``work`` under tracemalloc: (its result, MiB still allocated after it — what the
    result keeps —, peak MiB allocated during it). Slow: never around a timed run."""
    tracemalloc.start()
    try:
        result = work()
        retained, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, round(retained / MIB, 1), round(peak / MIB, 1)
