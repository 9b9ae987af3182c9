"""Veille's SQL: tenders, written with the events that announce them."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from centrale.events import Event
from centrale.outbox import record_event

SERVICE = "veille"
TRACKED_FIELDS = ("title", "deadline", "cpv_main", "buyer_name", "notice_type", "procedure_id")


def _row_values(notice: dict[str, Any]) -> dict[str, Any]:
    buyer = notice.get("buyer") or {}
    return {
        "source": notice["source"],
        "source_id": notice["source_id"],
        "procedure_id": notice.get("procedure_id"),
        "notice_type": notice.get("notice_type") or "contract",
        "title": notice["title"],
        "buyer_name": buyer.get("name"),
        "cpv_main": notice.get("cpv_main"),
        "deadline": notice.get("deadline"),
    }


SUMMARY_KEYS = ("buyer", "cpv_main", "cpv_additional", "estimated_value", "procedure_type",
                "notice_type", "reserved", "social_criteria", "url")


def tender_summary(notice: dict[str, Any]) -> dict[str, Any]:
    """What other services keep of a tender: see TenderSummarySchema in the event contracts."""
    summary = {key: notice.get(key) for key in SUMMARY_KEYS if notice.get(key) is not None}
    summary["departments"] = (notice.get("place") or {}).get("departments") or []
    summary["lots"] = [
        {key: lot.get(key) for key in ("id", "title", "cpv_main", "estimated_value", "deadline",
                                       "reserved") if lot.get(key) is not None}
        for lot in notice.get("lots") or [] if lot.get("id")
    ]
    return summary


def upsert_tender(conn: psycopg.Connection, notice: dict[str, Any]) -> tuple[int, str]:
    """Insert or update one tender; return its id and ``created``, ``updated`` or ``unchanged``.

    The event (``tender.published`` or ``tender.updated`` with what changed) is written in the
    same transaction.
    """
    values = _row_values(notice)
    current = conn.execute(
        "SELECT id, version, title, deadline, cpv_main, buyer_name, notice_type, procedure_id, "
        "notice FROM tenders WHERE source = %s AND source_id = %s FOR UPDATE",
        (values["source"], values["source_id"]),
    ).fetchone()
    if current is None:
        row = conn.execute(
            "INSERT INTO tenders (source, source_id, procedure_id, notice_type, title, buyer_name,"
            " cpv_main, deadline, notice) VALUES (%(source)s, %(source_id)s, %(procedure_id)s,"
            " %(notice_type)s, %(title)s, %(buyer_name)s, %(cpv_main)s, %(deadline)s,"
            " %(notice)s) RETURNING id, deadline",
            {**values, "notice": Jsonb(notice)},
        ).fetchone()
        record_event(conn, Event(
            type="tender.published", subject=f"tender:{row['id']}", producer=SERVICE,
            data={"tender_id": row["id"], "source": values["source"],
                  "source_id": values["source_id"], "title": values["title"],
                  "deadline": row["deadline"].isoformat() if row["deadline"] else None,
                  "tender": tender_summary(notice)},
        ))
        return row["id"], "created"
    if current["notice"] == notice:
        return current["id"], "unchanged"
    updated = conn.execute(
        "UPDATE tenders SET procedure_id = %(procedure_id)s, notice_type = %(notice_type)s,"
        " title = %(title)s, buyer_name = %(buyer_name)s, cpv_main = %(cpv_main)s,"
        " deadline = %(deadline)s, notice = %(notice)s, version = version + 1,"
        " updated_at = now() WHERE id = %(id)s RETURNING version, title, deadline, cpv_main,"
        " buyer_name, notice_type, procedure_id",
        {**values, "notice": Jsonb(notice), "id": current["id"]},
    ).fetchone()
    changes = {
        name: {"before": _jsonable(current[name]), "after": _jsonable(updated[name])}
        for name in TRACKED_FIELDS if current[name] != updated[name]
    }
    record_event(conn, Event(
        type="tender.updated", subject=f"tender:{current['id']}", producer=SERVICE,
        data={"tender_id": current["id"], "version": updated["version"], "changes": changes,
              "title": updated["title"], "deadline": _jsonable(updated["deadline"]),
              "tender": tender_summary(notice)},
    ))
    return current["id"], "updated"


def _jsonable(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def get_tender(conn: psycopg.Connection, tender_id: int) -> dict[str, Any] | None:
    return conn.execute(
        "SELECT id, source, source_id, procedure_id, notice_type, title, buyer_name, cpv_main,"
        " deadline, version, created_at, updated_at, notice FROM tenders WHERE id = %s",
        (tender_id,),
    ).fetchone()


def list_tenders(conn: psycopg.Connection, limit: int, offset: int) -> list[dict[str, Any]]:
    return conn.execute(
        "SELECT id, source, source_id, procedure_id, notice_type, title, buyer_name, cpv_main,"
        " deadline, version, created_at, updated_at, notice FROM tenders"
        " ORDER BY deadline NULLS LAST, id LIMIT %s OFFSET %s",
        (limit, offset),
    ).fetchall()
