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
from psycopg.types.json import Jsonb

from centrale.events import Event
from centrale.outbox import record_events

from ..domain import procedures
from .tenders import SERVICE, _columns, _digest, tender_summary


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
    """Store notices ``split_new`` found new; return those whose values could not be built
    (to go through the notice-by-notice path, which says why)."""
    prepared, refused = [], []
    for record in records:
        try:
            prepared.append((record, _columns(record, perimeter, today), _digest(record),
                             tender_summary(record)))
        except (KeyError, TypeError, ValueError, AttributeError):
            refused.append(record)
    if not prepared:
        return refused
    columns = list(prepared[0][1])
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO tenders (procedure_key, {', '.join(columns)}) VALUES"
            f" (%(procedure_key)s, {', '.join(f'%({c})s' for c in columns)})"
            " RETURNING id, deadline",
            [{**values, "procedure_key": procedures.procedure_key(record)}
             for record, values, _digest_, _summary in prepared], returning=True)
        rows = []
        while True:
            rows.append(cursor.fetchone())
            if not cursor.nextset():
                break
        stored = [(record, values, digest, summary, row)
                  for (record, values, digest, summary), row in zip(prepared, rows)]
        cursor.executemany(
            "INSERT INTO tender_lots (tender_id, lot_id, title, cpv_main, estimated_amount,"
            " deadline, reserved) VALUES (%s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (tender_id, lot_id) DO NOTHING",
            [(row["id"], lot["id"], lot.get("title"), lot.get("cpv_main"),
              (lot.get("estimated_value") or {}).get("amount"), lot.get("deadline"),
              lot.get("reserved") or [])
             for record, _v, _d, _s, row in stored
             for lot in record.get("lots") or [] if lot.get("id")])
        cursor.executemany(
            "INSERT INTO tender_notices (source, source_id, tender_id, notice_type, digest,"
            " notice) VALUES (%s, %s, %s, %s, %s, %s)",
            [(record["source"], record["source_id"], row["id"],
              record.get("notice_type") or "other", digest, Jsonb(record))
             for record, _v, digest, _s, row in stored])
        cursor.executemany(
            "INSERT INTO tender_versions (tender_id, version, source, source_id, changes)"
            " VALUES (%s, 1, %s, %s, '{}')",
            [(row["id"], record["source"], record["source_id"])
             for record, _v, _d, _s, row in stored])
    record_events(conn, [Event(
        type="tender.published", subject=f"tender:{row['id']}", producer=SERVICE,
        data={"tender_id": row["id"], "source": record["source"],
              "source_id": record["source_id"], "title": values["title"],
              "deadline": row["deadline"].isoformat() if row["deadline"] else None,
              "tender": summary}) for record, values, _d, summary, row in stored])
    return refused
