"""The notices of a batch that open new tenders, stored together.

Most of a feed's notices are new calls for tenders. Stored one by one, each waits for the
server several times; here the batch's new ones cost a handful of round trips in all (psycopg's
``executemany`` pipelines its statements). A notice qualifies only when nothing can merge it:
not stored before, no tender with its procedure or fingerprint, and no other notice of the
batch sharing either. Every other notice goes through ``ingest_notice``, one by one.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import psycopg

from ..domain import procedures
from .tenders import insert_tenders


def split_new(conn: psycopg.Connection, records: list[dict[str, Any]],
              seen: dict[tuple[str, str], Any]) -> tuple[list[dict], list[dict]]:
    """(notices that open a new tender, the others in their order)."""
    keys: dict[int, tuple[str, str | None]] = {}
    for number, record in enumerate(records):
        try:
            if (record["source"], record["source_id"]) not in seen:
                keys[number] = (procedures.procedure_key(record), procedures.fingerprint(record))
        except (KeyError, TypeError, ValueError, AttributeError):
            continue  # the notice-by-notice path quarantines it with its reason
    counts = Counter(key for pair in keys.values() for key in pair if key)
    taken = _existing(conn, [k for pair in keys.values() for k in pair if k])
    new = {number for number, pair in keys.items()
           if all(counts[k] == 1 and k not in taken for k in pair if k)}
    return ([r for n, r in enumerate(records) if n in new],
            [r for n, r in enumerate(records) if n not in new])


def _existing(conn: psycopg.Connection, keys: list[str]) -> set[str]:
    if not keys:
        return set()
    rows = conn.execute(
        "SELECT procedure_key, fingerprint FROM tenders WHERE procedure_key = ANY(%(k)s)"
        " OR fingerprint = ANY(%(k)s)", {"k": keys}).fetchall()
    return {value for row in rows for value in (row["procedure_key"], row["fingerprint"])
            if value}


def insert_new(conn: psycopg.Connection, records: list[dict[str, Any]], perimeter: set[str],
               today: date) -> list[dict[str, Any]]:
    """Store notices ``split_new`` found new, together; return those whose columns could not
    be built (to go through the notice-by-notice path, which quarantines them with why)."""
    refused: list[dict[str, Any]] = []
    insert_tenders(conn, records, perimeter, today, refused)
    return refused
