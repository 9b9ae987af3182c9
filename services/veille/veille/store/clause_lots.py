"""The lots of the territory's tenders that carry a social or insertion clause, one row each,
for the social-clause facilitator: a lot whose own notice flags a clause is a row; a tender
flagged as a whole with no lot flagged is one row for the whole contract (``lot_id`` null).
Each row has its winners (the lot's awards, or the whole contract's)."""

from __future__ import annotations

from typing import Any

import psycopg

from .tenders import LOT_STATE_SQL, STATE_SQL

ROWS = f"""
SELECT t.id AS tender_id, l.lot_id, l.title AS lot_title, t.title, t.buyer_name, t.buyer_key,
       l.cpv_main, l.social_clause, l.insertion_clause, l.insertion_hours,
       coalesce(l.deadline, t.deadline) AS deadline, l.result,
       CASE WHEN l.result IS NULL AND l.deadline IS NULL THEN {STATE_SQL}
            ELSE {LOT_STATE_SQL} END AS state, t.updated_at
  FROM tender_lots l JOIN tenders t ON t.id = l.tender_id
 WHERE (l.social_clause OR l.insertion_clause) AND t.in_territory
UNION ALL
SELECT t.id, NULL, NULL, t.title, t.buyer_name, t.buyer_key, t.cpv_main, t.social_clause,
       t.insertion_clause, NULL, t.deadline, t.result, {STATE_SQL}, t.updated_at
  FROM tenders t
 WHERE (t.social_clause OR t.insertion_clause) AND t.in_territory
   AND NOT EXISTS (SELECT 1 FROM tender_lots l WHERE l.tender_id = t.id
                   AND (l.social_clause OR l.insertion_clause))
"""


def clause_lots(conn: psycopg.Connection, filters: dict[str, Any], limit: int, offset: int
                ) -> tuple[list[dict[str, Any]], int]:
    where = []
    if filters.get("clause") == "insertion":
        where.append("r.insertion_clause")
    if filters.get("status") not in (None, "all"):
        where.append("r.state = %(status)s")
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = conn.execute(
        f"SELECT r.*, count(*) OVER () AS total FROM ({ROWS}) r{clause}"
        " ORDER BY r.updated_at DESC, r.tender_id DESC, r.lot_id NULLS FIRST"
        " LIMIT %(limit)s OFFSET %(offset)s",
        {**filters, "limit": limit, "offset": offset}).fetchall()
    total = rows[0]["total"] if rows else 0
    if rows:
        winners: dict[tuple[int, str], list[dict[str, Any]]] = {}
        for award in conn.execute(
                "SELECT tender_id, lot_id, winner_name, winner_siret FROM awards"
                " WHERE tender_id = ANY(%s) ORDER BY lot_id, winner_name",
                (sorted({row["tender_id"] for row in rows}),)):
            winners.setdefault((award.pop("tender_id"), award.pop("lot_id")), []).append(award)
        for row in rows:
            own = winners.get((row["tender_id"], row["lot_id"] or ""), [])
            whole = winners.get((row["tender_id"], ""), []) if row["lot_id"] else []
            row["winners"] = own or whole
    return rows, total
