"""Accompagnement's own copy of the tenders, kept from veille's events (never its database)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from ..domain.tender_summary import euros_of

COLUMNS = ("id, version, source, source_id, title, deadline, buyer_name, buyer_siret, cpv_main,"
           " cpv_additional, departments, procedure_type, notice_type, reserved, social_criteria,"
           " estimated_amount, lots, url, received_at, updated_at")


@dataclass(frozen=True)
class MirrorChange:
    tender_id: int
    applied: bool  # False: an older version than the one kept
    deadline_before: datetime | None
    deadline_after: datetime | None

    @property
    def deadline_moved(self) -> bool:
        return self.applied and self.deadline_before != self.deadline_after


def _summary_columns(summary: dict[str, Any]) -> dict[str, Any]:
    buyer = summary.get("buyer") or {}
    return {
        "buyer_name": buyer.get("name"), "buyer_siret": buyer.get("siret"),
        "cpv_main": summary.get("cpv_main"),
        "cpv_additional": list(summary.get("cpv_additional") or []),
        "departments": list(summary.get("departments") or []),
        "procedure_type": summary.get("procedure_type"),
        "notice_type": summary.get("notice_type"),
        "reserved": list(summary.get("reserved") or []),
        "social_criteria": bool(summary.get("social_criteria")),
        "estimated_amount": euros_of(summary.get("estimated_value")),
        "lots": Jsonb(list(summary.get("lots") or [])), "url": summary.get("url"),
    }


def apply_tender_event(conn: psycopg.Connection, event_type: str,
                       data: dict[str, Any]) -> MirrorChange:
    """Insert or update the mirrored tender from ``tender.published`` / ``tender.updated``.

    Versions guard against reordering: an event older than the kept version changes nothing
    (``tender.published`` is version 1).
    """
    tender_id = data["tender_id"]
    version = data.get("version") if event_type == "tender.updated" else 1
    current = conn.execute("SELECT version, deadline FROM tenders WHERE id = %s FOR UPDATE",
                           (tender_id,)).fetchone()
    before = current["deadline"] if current else None
    if current is not None and version < current["version"]:
        if event_type == "tender.published":  # late, but the tender's identity still counts
            conn.execute("UPDATE tenders SET source = coalesce(source, %s),"
                         " source_id = coalesce(source_id, %s) WHERE id = %s",
                         (data.get("source"), data.get("source_id"), tender_id))
        return MirrorChange(tender_id, False, before, before)
    deadline = data.get("deadline")
    values: dict[str, Any] = {"id": tender_id, "version": version,
                              "deadline": datetime.fromisoformat(deadline) if deadline else None}
    if data.get("title"):
        values["title"] = data["title"]
    if event_type == "tender.published":
        values.update(source=data.get("source"), source_id=data.get("source_id"))
    if data.get("tender") is not None:
        values.update(_summary_columns(data["tender"]))
    if current is None:
        values.setdefault("title", f"Consultation {tender_id}")
        names = ", ".join(values)
        conn.execute(f"INSERT INTO tenders ({names}) VALUES"
                     f" ({', '.join(f'%({n})s' for n in values)})", values)
    else:
        assignments = ", ".join(f"{name} = %({name})s" for name in values if name != "id")
        conn.execute(f"UPDATE tenders SET {assignments}, updated_at = now() WHERE id = %(id)s",
                     values)
    after = conn.execute("SELECT deadline FROM tenders WHERE id = %s",
                         (tender_id,)).fetchone()["deadline"]
    return MirrorChange(tender_id, True, before, after)


def get_tender(conn: psycopg.Connection, tender_id: int) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {COLUMNS} FROM tenders WHERE id = %s", (tender_id,)).fetchone()


def find_by_source(conn: psycopg.Connection, source: str,
                   source_id: str) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {COLUMNS} FROM tenders WHERE source = %s AND source_id = %s",
                        (source, source_id)).fetchone()


def list_tenders(conn: psycopg.Connection, open_only: bool, limit: int,
                 offset: int) -> list[dict[str, Any]]:
    return conn.execute(
        f"SELECT {COLUMNS} FROM tenders WHERE NOT %s OR deadline > now()"
        " ORDER BY deadline NULLS LAST, id LIMIT %s OFFSET %s",
        (open_only, limit, offset)).fetchall()


def record_result(conn: psycopg.Connection, tender_id: int, title: str, result: str) -> None:
    """Keep what became of a tender (``tender.awarded``, ``tender.cancelled``: only these
    set it, so that its cases are told by the one handler that reads them)."""
    conn.execute(
        "INSERT INTO tenders (id, title, result, result_at) VALUES (%s, %s, %s, now())"
        " ON CONFLICT (id) DO UPDATE SET result = EXCLUDED.result, result_at = now()"
        " WHERE tenders.result IS DISTINCT FROM EXCLUDED.result", (tender_id, title, result))
