"""The records the impact figures are computed from (``domain.figures``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import psycopg

from ..domain.figures import ParticipantRecord, SessionRecord
from .sessions import SESSION_FROM


@dataclass(frozen=True)
class FigureQuery:
    start: date
    end: date
    structure_id: int | None = None


def figure_records(conn: psycopg.Connection, query: FigureQuery) -> list[SessionRecord]:
    """Sessions of the period (by their Paris start date) that are over or cancelled, with
    their confirmed participants (of one structure when asked)."""
    sessions = conn.execute(
        "SELECT s.id, s.module_code, m.title, m.duration_h, s.starts_at, s.status"
        f" FROM {SESSION_FROM}"
        " WHERE (s.starts_at AT TIME ZONE 'Europe/Paris')::date BETWEEN %(start)s AND %(end)s"
        " AND (s.status = 'cancelled' OR s.status = 'held' OR s.ends_at <= now())"
        " AND (%(structure)s::bigint IS NULL OR EXISTS (SELECT 1 FROM registrations x"
        "      WHERE x.session_id = s.id AND x.structure_id = %(structure)s"
        "      AND x.status = 'confirmed'))"
        " ORDER BY s.starts_at, s.id",
        {"start": query.start, "end": query.end, "structure": query.structure_id}).fetchall()
    if not sessions:
        return []
    participants: dict[int, list[ParticipantRecord]] = {}
    for row in conn.execute(
            "SELECT session_id, structure_id, attended, attended_hours, survey_score"
            " FROM registrations WHERE session_id = ANY(%(ids)s) AND status = 'confirmed'"
            " AND (%(structure)s::bigint IS NULL OR structure_id = %(structure)s)",
            {"ids": [s["id"] for s in sessions], "structure": query.structure_id}).fetchall():
        participants.setdefault(row["session_id"], []).append(ParticipantRecord(
            structure_id=row["structure_id"], attended=row["attended"],
            hours=row["attended_hours"], score=row["survey_score"]))
    return [SessionRecord(session_id=s["id"], module_code=s["module_code"],
                          module_title=s["title"], starts_at=s["starts_at"],
                          duration_h=Decimal(s["duration_h"]),
                          cancelled=s["status"] == "cancelled",
                          participants=tuple(participants.get(s["id"], ())))
            for s in sessions]
