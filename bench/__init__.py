"""Benchmarks: ``make bench`` (``python -m bench``) prints figures and ratios and writes
``bench-results.json`` at the repository root. Never timed assertions in tests."""
