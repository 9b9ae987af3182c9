"""Tenders: notices merged into procedures, with their versions and the events announcing them."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from centrale.events import Event
from centrale.outbox import record_event

from ..domain import procedures

SERVICE = "veille"
SUMMARY_KEYS = ("buyer", "cpv_main", "cpv_additional", "estimated_value", "procedure_type",
                "notice_type", "reserved", "social_criteria", "url")


def tender_summary(notice: dict[str, Any]) -> dict[str, Any]:
    """What other services keep of a tender: see TenderSummarySchema in the event contracts."""
    summary = {key: notice.get(key) for key in SUMMARY_KEYS if notice.get(key) is not None}
    summary["departments"] = procedures.notice_departments(notice)
    summary["lots"] = [
        {key: lot.get(key) for key in ("id", "title", "cpv_main", "estimated_value", "deadline",
                                       "reserved") if lot.get(key) is not None}
        for lot in notice.get("lots") or [] if lot.get("id")
    ]
    return summary


def _digest(notice: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(notice, sort_keys=True, default=str).encode()).hexdigest()


def _columns(notice: dict[str, Any], perimeter: set[str], today: date) -> dict[str, Any]:
    buyer = notice.get("buyer") or {}
    value = notice.get("estimated_value") or {}
    codes = [notice.get("cpv_main"), *(notice.get("cpv_additional") or []),
             *(lot.get("cpv_main") for lot in notice.get("lots") or [])]
    return {
        "fingerprint": procedures.fingerprint(notice),
        "title": notice.get("title") or f"Avis {notice['source_id']}",
        "description": notice.get("description") or "",
        "buyer_name": buyer.get("name"),
        "buyer_siret": buyer.get("siret"),
        "cpv_main": notice.get("cpv_main"),
        "cpv_codes": sorted({code for code in codes if code}),
        "cpv_prefixes": sorted({code[:k] for code in codes if code for k in range(2, 9)}),
        "nuts": (notice.get("place") or {}).get("nuts") or [],
        "departments": procedures.notice_departments(notice),
        "estimated_amount": value.get("amount"),
        "currency": value.get("currency"),
        "deadline": notice.get("deadline"),
        "procedure_type": notice.get("procedure_type"),
        "notice_type": notice.get("notice_type") or "other",
        "reserved": notice.get("reserved") or [],
        "social_criteria": bool(notice.get("social_criteria")),
        "url": notice.get("url"),
        "language": notice.get("language"),
        "in_territory": procedures.in_territory(notice, perimeter),
        "renewal_expected_on": procedures.renewal_expected_on(notice, today),
        "notice": Jsonb(notice),
    }


_SET = ", ".join(f"{c} = %({c})s" for c in (
    "fingerprint", "title", "description", "buyer_name", "buyer_siret", "cpv_main", "cpv_codes",
    "cpv_prefixes",
    "nuts", "departments", "estimated_amount", "currency", "deadline", "procedure_type",
    "notice_type", "reserved", "social_criteria", "url", "language", "in_territory",
    "renewal_expected_on", "notice"))


def _find_tender(conn: psycopg.Connection, notice: dict[str, Any],
                 seen: bool) -> dict[str, Any] | None:
    """The tender this notice belongs to, locked: by the notice itself when it was seen before,
    else by its procedure, else by its fingerprint (the same call published in two sources)."""
    if seen:
        row = conn.execute(
            "SELECT t.id, t.notice, t.version FROM tender_notices n JOIN tenders t"
            " ON t.id = n.tender_id WHERE n.source = %s AND n.source_id = %s FOR UPDATE OF t",
            (notice["source"], notice["source_id"])).fetchone()
        if row:
            return row
    key = procedures.procedure_key(notice)
    return conn.execute(
        "SELECT id, notice, version FROM tenders WHERE procedure_key = %(key)s"
        " OR fingerprint = %(fingerprint)s ORDER BY procedure_key = %(key)s DESC, id LIMIT 1"
        " FOR UPDATE", {"key": key, "fingerprint": procedures.fingerprint(notice)}).fetchone()


def _replace_lots(conn: psycopg.Connection, tender_id: int, notice: dict[str, Any],
                  new_tender: bool = False) -> None:
    if not new_tender:
        conn.execute("DELETE FROM tender_lots WHERE tender_id = %s", (tender_id,))
    lots = [lot for lot in notice.get("lots") or [] if lot.get("id")]
    if lots:
        with conn.cursor() as cur:
            cur.executemany(
                "INSERT INTO tender_lots (tender_id, lot_id, title, cpv_main, estimated_amount,"
                " deadline, reserved) VALUES (%s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (tender_id, lot_id) DO NOTHING",
                [(tender_id, lot["id"], lot.get("title"), lot.get("cpv_main"),
                  (lot.get("estimated_value") or {}).get("amount"), lot.get("deadline"),
                  lot.get("reserved") or []) for lot in lots])


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
    ``unchanged``. ``tender.published`` or ``tender.updated`` (with what changed) is written
    to the outbox in the same transaction. ``seen`` is its row of ``seen_notices`` (None: not
    stored yet) when the caller looked the batch up."""
    digest = _digest(notice)
    if seen is NOT_LOOKED_UP:
        seen = conn.execute("SELECT tender_id, digest FROM tender_notices WHERE source = %s AND"
                            " source_id = %s", (notice["source"], notice["source_id"])).fetchone()
    if seen and seen["digest"] == digest:
        return seen["tender_id"], "unchanged"
    tender = _find_tender(conn, notice, bool(seen))
    if tender is None:
        values = _columns(notice, perimeter, today)
        row = conn.execute(
            f"INSERT INTO tenders (procedure_key, {', '.join(values)}) VALUES"
            f" (%(procedure_key)s, {', '.join(f'%({c})s' for c in values)}) RETURNING id, deadline",
            {**values, "procedure_key": procedures.procedure_key(notice)}).fetchone()
        _replace_lots(conn, row["id"], notice, new_tender=True)
        _record_notice(conn, row["id"], notice, digest)
        conn.execute("INSERT INTO tender_versions (tender_id, version, source, source_id, changes)"
                     " VALUES (%s, 1, %s, %s, '{}')", (row["id"], notice["source"],
                                                       notice["source_id"]))
        record_event(conn, Event(
            type="tender.published", subject=f"tender:{row['id']}", producer=SERVICE,
            data={"tender_id": row["id"], "source": notice["source"],
                  "source_id": notice["source_id"], "title": values["title"],
                  "deadline": row["deadline"].isoformat() if row["deadline"] else None,
                  "tender": tender_summary(notice)}))
        return row["id"], "created"

    authoritative = bool(seen) or notice.get("notice_type") == "corrigendum"
    merged = procedures.merge(tender["notice"], notice, authoritative)
    _record_notice(conn, tender["id"], notice, digest)
    changes = procedures.changes_between(tender["notice"], merged)
    if merged == tender["notice"]:
        return tender["id"], "unchanged"
    version = tender["version"] + (1 if changes else 0)
    values = _columns(merged, perimeter, today)
    conn.execute(f"UPDATE tenders SET {_SET}, version = %(version)s, updated_at = now()"
                 " WHERE id = %(id)s", {**values, "version": version, "id": tender["id"]})
    _replace_lots(conn, tender["id"], merged)
    if not changes:
        return tender["id"], "unchanged"
    conn.execute("INSERT INTO tender_versions (tender_id, version, source, source_id, changes)"
                 " VALUES (%s, %s, %s, %s, %s)", (tender["id"], version, notice["source"],
                                                  notice["source_id"], Jsonb(changes)))
    record_event(conn, Event(
        type="tender.updated", subject=f"tender:{tender['id']}", producer=SERVICE,
        data={"tender_id": tender["id"], "version": version, "changes": changes,
              "title": values["title"], "deadline": merged.get("deadline"),
              "tender": tender_summary(merged)}))
    return tender["id"], "updated"


DETAIL_COLUMNS = ("id, procedure_key, title, description, buyer_name, buyer_siret, cpv_main,"
                  " cpv_codes, departments, estimated_amount, currency, deadline, procedure_type,"
                  " notice_type, reserved, social_criteria, url, language, in_territory,"
                  " renewal_expected_on, version, created_at, updated_at")


def get_tender(conn: psycopg.Connection, tender_id: int) -> dict[str, Any] | None:
    tender = conn.execute(f"SELECT {DETAIL_COLUMNS} FROM tenders WHERE id = %s",
                          (tender_id,)).fetchone()
    if tender is None:
        return None
    tender["lots"] = conn.execute(
        "SELECT lot_id AS id, title, cpv_main, estimated_amount, deadline, reserved"
        " FROM tender_lots WHERE tender_id = %s ORDER BY lot_id", (tender_id,)).fetchall()
    tender["notices"] = conn.execute(
        "SELECT source, source_id, notice_type, received_at FROM tender_notices"
        " WHERE tender_id = %s ORDER BY received_at, source, source_id", (tender_id,)).fetchall()
    tender["versions"] = conn.execute(
        "SELECT version, source, source_id, changes, recorded_at FROM tender_versions"
        " WHERE tender_id = %s ORDER BY version", (tender_id,)).fetchall()
    return tender
