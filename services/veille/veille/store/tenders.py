"""Tenders: notices merged into procedures, with their versions and the events announcing them."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from centrale.events import Event
from centrale.outbox import record_events

from ..domain import procedures, tenders
from .matches import alerted_structures

SERVICE = "veille"


def _digest(notice: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(notice, sort_keys=True, default=str).encode()).hexdigest()


def _row(columns: dict[str, Any]) -> dict[str, Any]:
    return {**columns, "notice": Jsonb(columns["notice"])}


# Every tenders column a merged notice gives; `notice` last.
TENDER_COLUMNS = (
    "fingerprint", "title", "description", "buyer_name", "buyer_siret", "buyer_key", "cpv_main",
    "cpv_codes", "cpv_prefixes", "nuts", "departments", "estimated_amount", "currency",
    "deadline", "closes_at", "result", "procedure_type", "notice_type", "reserved",
    "social_criteria", "social_clause", "insertion_clause", "url", "documents_url", "language",
    "in_territory", "renewal_expected_on", "contract_end", "lots_text", "notice")
_SET = ", ".join(f"{c} = %({c})s" for c in TENDER_COLUMNS)
_LOT_INSERT = (f"INSERT INTO tender_lots (tender_id, {', '.join(tenders.LOT_COLUMNS)}) VALUES"
               f" (%(tender_id)s, {', '.join(f'%({c})s' for c in tenders.LOT_COLUMNS)})"
               " ON CONFLICT (tender_id, lot_id) DO NOTHING")
_AWARD_UPSERT = (
    f"INSERT INTO awards (tender_id, {', '.join(tenders.AWARD_COLUMNS)}) VALUES"
    f" (%(tender_id)s, {', '.join(f'%({c})s' for c in tenders.AWARD_COLUMNS)})"
    " ON CONFLICT (tender_id, lot_id, winner_key) DO UPDATE SET"
    " winner_name = coalesce(EXCLUDED.winner_name, awards.winner_name),"
    " amount = coalesce(EXCLUDED.amount, awards.amount),"
    " currency = coalesce(EXCLUDED.currency, awards.currency),"
    " awarded_on = coalesce(EXCLUDED.awarded_on, awards.awarded_on),"
    " contract_end = coalesce(EXCLUDED.contract_end, awards.contract_end)")


def insert_tenders(conn: psycopg.Connection, notices: list[dict[str, Any]],
                   perimeter: set[str], today: date,
                   refused: list[dict[str, Any]] | None = None) -> list[int]:
    """Store notices that each open a new tender, in one pipelined batch (a handful of round
    trips for the batch, psycopg's ``executemany``): the tenders, their lots, awards, notices
    and first versions, and one ``tender.published`` each. The ids of the tenders stored, in
    order. A notice whose columns cannot be built raises, or joins ``refused`` when given."""
    prepared = []
    for notice in notices:
        try:
            prepared.append((notice, tenders.tender_columns(notice, perimeter, today)))
        except (KeyError, TypeError, ValueError, AttributeError):
            if refused is None:
                raise
            refused.append(notice)
    if not prepared:
        return []
    with conn.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO tenders (procedure_key, {', '.join(TENDER_COLUMNS)}) VALUES"
            f" (%(procedure_key)s, {', '.join(f'%({c})s' for c in TENDER_COLUMNS)})"
            " RETURNING id",
            [{**_row(columns), "procedure_key": procedures.procedure_key(notice)}
             for notice, columns in prepared], returning=True)
        ids = []
        while True:
            ids.append(cursor.fetchone()["id"])
            if not cursor.nextset():
                break
        stored = list(zip(ids, prepared))
        cursor.executemany(_LOT_INSERT, [
            {**lot, "tender_id": tender_id}
            for tender_id, (notice, _c) in stored for lot in tenders.lot_rows(notice)])
        cursor.executemany(_AWARD_UPSERT, [
            {**award, "tender_id": tender_id} for tender_id, (notice, _c) in stored
            for award in tenders.award_rows(notice, notice["source"], notice["source_id"])])
        cursor.executemany(
            "INSERT INTO tender_notices (source, source_id, tender_id, notice_type, digest,"
            " notice) VALUES (%s, %s, %s, %s, %s, %s)",
            [(notice["source"], notice["source_id"], tender_id,
              notice.get("notice_type") or "other", _digest(notice), Jsonb(notice))
             for tender_id, (notice, _c) in stored])
        cursor.executemany(
            "INSERT INTO tender_versions (tender_id, version, source, source_id, changes)"
            " VALUES (%s, 1, %s, %s, '{}')",
            [(tender_id, notice["source"], notice["source_id"])
             for tender_id, (notice, _c) in stored])
    record_events(conn, [Event(
        type="tender.published", subject=f"tender:{tender_id}", producer=SERVICE,
        data=tenders.published_event_data(tender_id, notice, columns))
        for tender_id, (notice, columns) in stored])
    return ids


def _find_tender(conn: psycopg.Connection, notice: dict[str, Any],
                 seen: bool) -> dict[str, Any] | None:
    """The tender this notice belongs to, locked: by the notice itself when it was seen before,
    else by its procedure, else by its fingerprint (the same call published in two sources)."""
    if seen:
        row = conn.execute(
            "SELECT t.id, t.notice, t.version, t.result FROM tender_notices n JOIN tenders t"
            " ON t.id = n.tender_id WHERE n.source = %s AND n.source_id = %s FOR UPDATE OF t",
            (notice["source"], notice["source_id"])).fetchone()
        if row:
            return row
    # The fingerprint finds the same call published again, or by another source; but a
    # source that names two procedure ids for two calls of one buyer, titled alike and
    # closing the same day, published two procedures.
    key = procedures.procedure_key(notice)
    return conn.execute(
        "SELECT id, notice, version, result FROM tenders t WHERE procedure_key = %(key)s"
        " OR (fingerprint = %(fingerprint)s AND (%(procedure)s::text IS NULL OR NOT EXISTS"
        " (SELECT 1 FROM tender_notices n WHERE n.tender_id = t.id AND n.source = %(source)s)))"
        " ORDER BY procedure_key = %(key)s DESC, id LIMIT 1 FOR UPDATE",
        {"key": key, "fingerprint": procedures.fingerprint(notice),
         "procedure": notice.get("procedure_id"), "source": notice["source"]}).fetchone()


def _replace_lots(conn: psycopg.Connection, tender_id: int, notice: dict[str, Any]) -> None:
    conn.execute("DELETE FROM tender_lots WHERE tender_id = %s", (tender_id,))
    rows = tenders.lot_rows(notice)
    if rows:
        with conn.cursor() as cur:
            cur.executemany(_LOT_INSERT, [{**lot, "tender_id": tender_id} for lot in rows])


def _record_awards(conn: psycopg.Connection, tender_id: int, notice: dict[str, Any],
                   source: str, source_id: str) -> None:
    rows = tenders.award_rows(notice, source, source_id)
    if rows:
        with conn.cursor() as cur:
            cur.executemany(_AWARD_UPSERT, [{**award, "tender_id": tender_id} for award in rows])


def _record_notice(conn: psycopg.Connection, tender_id: int, notice: dict[str, Any],
                   digest: str) -> None:
    conn.execute(
        "INSERT INTO tender_notices (source, source_id, tender_id, notice_type, digest, notice)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (source, source_id) DO UPDATE SET"
        " tender_id = EXCLUDED.tender_id, notice_type = EXCLUDED.notice_type,"
        " digest = EXCLUDED.digest, notice = EXCLUDED.notice, received_at = now()",
        (notice["source"], notice["source_id"], tender_id, notice.get("notice_type") or "other",
         digest, Jsonb(notice)))


NOT_LOOKED_UP: Any = object()


def seen_notices(conn: psycopg.Connection,
                 notices: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """The notices of a batch already stored, by (source, source_id): one query for the batch
    instead of one per notice."""
    keys = [(n["source"], n["source_id"]) for n in notices
            if isinstance(n.get("source"), str) and isinstance(n.get("source_id"), str)]
    if not keys:
        return {}
    rows = conn.execute(
        "SELECT n.source, n.source_id, n.tender_id, n.digest FROM tender_notices n"
        " JOIN unnest(%s::text[], %s::text[]) AS k(source, source_id)"
        " ON n.source = k.source AND n.source_id = k.source_id",
        ([k[0] for k in keys], [k[1] for k in keys])).fetchall()
    return {(r["source"], r["source_id"]): r for r in rows}


def ingest_notice(conn: psycopg.Connection, notice: dict[str, Any], perimeter: set[str],
                  today: date, seen: dict[str, Any] | None = NOT_LOOKED_UP) -> tuple[int, str]:
    """Store one normalised notice; return the tender id and ``created``, ``updated`` or
    ``unchanged``. ``tender.published``, or ``tender.updated`` (with what changed) and, when
    the tender got its result, ``tender.awarded`` or ``tender.cancelled``, are written to the
    outbox in the same transaction. ``seen`` is its row of ``seen_notices`` (None: not stored
    yet) when the caller looked the batch up."""
    digest = _digest(notice)
    if seen is NOT_LOOKED_UP:
        seen = conn.execute("SELECT tender_id, digest FROM tender_notices WHERE source = %s AND"
                            " source_id = %s", (notice["source"], notice["source_id"])).fetchone()
    if seen and seen["digest"] == digest:
        return seen["tender_id"], "unchanged"
    tender = _find_tender(conn, notice, bool(seen))
    if tender is None:
        [tender_id] = insert_tenders(conn, [notice], perimeter, today)
        return tender_id, "created"

    authoritative = bool(seen) or notice.get("notice_type") == "corrigendum"
    merged = procedures.merge(tender["notice"], notice, authoritative)
    _record_notice(conn, tender["id"], notice, digest)
    _record_awards(conn, tender["id"], notice, notice["source"], notice["source_id"])
    changes = procedures.changes_between(tender["notice"], merged)
    if merged == tender["notice"]:
        return tender["id"], "unchanged"
    version = tender["version"] + (1 if changes else 0)
    columns = tenders.tender_columns(merged, perimeter, today)
    conn.execute(f"UPDATE tenders SET {_SET}, version = %(version)s, updated_at = now(),"
                 " result_at = CASE WHEN result IS DISTINCT FROM %(result)s THEN now()"
                 " ELSE result_at END WHERE id = %(id)s",
                 {**_row(columns), "version": version, "id": tender["id"]})
    _replace_lots(conn, tender["id"], merged)
    if not changes:
        return tender["id"], "unchanged"
    conn.execute("INSERT INTO tender_versions (tender_id, version, source, source_id, changes)"
                 " VALUES (%s, %s, %s, %s, %s)", (tender["id"], version, notice["source"],
                                                  notice["source_id"], Jsonb(changes)))
    events = [Event(
        type="tender.updated", subject=f"tender:{tender['id']}", producer=SERVICE,
        data={"tender_id": tender["id"], "version": version, "changes": changes,
              "title": columns["title"], "deadline": merged.get("deadline"),
              "tender": tenders.tender_summary(merged)})]
    result = tenders.result_event(tender["id"], tender["result"], columns, merged,
                                  alerted_structures(conn, tender["id"]))
    if result is not None:
        events.append(Event(type=result[0], subject=f"tender:{tender['id']}", producer=SERVICE,
                            data=result[1]))
    record_events(conn, events)
    return tender["id"], "updated"


# A tender's and a lot's state, as domain.tenders.state says, computed where it is read.
STATE_SQL = ("CASE WHEN t.result IS NOT NULL THEN t.result WHEN t.closes_at <= now()"
             " THEN 'closed' ELSE 'open' END")
LOT_STATE_SQL = ("CASE WHEN l.result IS NOT NULL THEN l.result WHEN l.deadline <= now()"
                 " THEN 'closed' ELSE 'open' END")
DETAIL_COLUMNS = ("t.id, t.procedure_key, t.title, t.description, t.buyer_name, t.buyer_siret,"
                  " t.buyer_key, t.cpv_main, t.cpv_codes, t.departments, t.estimated_amount,"
                  " t.currency, t.deadline, t.closes_at, t.result, t.result_at, t.procedure_type,"
                  " t.notice_type, t.reserved, t.social_criteria, t.social_clause,"
                  " t.insertion_clause, t.url, t.documents_url, t.language, t.in_territory,"
                  f" t.renewal_expected_on, t.version, t.created_at, t.updated_at,"
                  f" {STATE_SQL} AS state")


def get_tender(conn: psycopg.Connection, tender_id: int) -> dict[str, Any] | None:
    tender = conn.execute(f"SELECT {DETAIL_COLUMNS} FROM tenders t WHERE t.id = %s",
                          (tender_id,)).fetchone()
    if tender is None:
        return None
    tender["lots"] = conn.execute(
        "SELECT l.lot_id AS id, l.title, l.cpv_main, l.estimated_amount, l.deadline, l.reserved,"
        f" l.result, l.social_clause, l.insertion_clause, l.insertion_hours,"
        f" {LOT_STATE_SQL} AS state FROM tender_lots l WHERE l.tender_id = %s"
        " ORDER BY l.lot_id", (tender_id,)).fetchall()
    tender["awards"] = conn.execute(
        "SELECT nullif(lot_id, '') AS lot, winner_name, winner_siret, amount, currency,"
        " awarded_on, contract_end, source, source_id FROM awards WHERE tender_id = %s"
        " ORDER BY lot_id, winner_name", (tender_id,)).fetchall()
    tender["notices"] = conn.execute(
        "SELECT source, source_id, notice_type, received_at FROM tender_notices"
        " WHERE tender_id = %s ORDER BY received_at, source, source_id", (tender_id,)).fetchall()
    tender["versions"] = conn.execute(
        "SELECT version, source, source_id, changes, recorded_at FROM tender_versions"
        " WHERE tender_id = %s ORDER BY version", (tender_id,)).fetchall()
    # Where it comes from: its first notice's source (« centrale »: a buyer's need, answered
    # at the Centrale itself).
    tender["origin"] = tender["notices"][0]["source"] if tender["notices"] else None
    need = conn.execute("SELECT id FROM needs WHERE tender_id = %s", (tender_id,)).fetchone()
    tender["need_id"] = need["id"] if need else None
    return tender
