"""Bid / no-bid diagnoses of a case (the latest one counts), written with their event."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg.types.json import Jsonb

from ..domain.diagnosis import Diagnosis
from .events import emit

COLUMNS = ("id, case_id, scores, weights, decision, score, reasons, recommended_modules,"
           " comment, completed_by, completed_at")


def save_diagnosis(conn: psycopg.Connection, case: dict[str, Any], diagnosis: Diagnosis,
                   scores: dict[str, int | None], weights: dict[str, int], comment: str | None,
                   by: str) -> dict[str, Any]:
    row = conn.execute(
        "INSERT INTO diagnoses (case_id, scores, weights, decision, score, reasons,"
        " recommended_modules, comment, completed_by) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)"
        f" RETURNING {COLUMNS}",
        (case["id"], Jsonb(scores), Jsonb(weights), diagnosis.decision.value, diagnosis.score,
         list(diagnosis.reasons), [m.value for m in diagnosis.recommended_modules], comment, by),
    ).fetchone()
    emit(conn, "diagnosis.completed", f"case:{case['id']}", {
        "case_id": case["id"], "structure_id": case["structure_id"],
        "decision": diagnosis.decision.value, "score": float(diagnosis.score),
        "recommended_modules": [m.value for m in diagnosis.recommended_modules]})
    return row


def latest_diagnosis(conn: psycopg.Connection, case_id: int) -> dict[str, Any] | None:
    return conn.execute(f"SELECT {COLUMNS} FROM diagnoses WHERE case_id = %s"
                        " ORDER BY completed_at DESC, id DESC LIMIT 1", (case_id,)).fetchone()
