"""Tender search: French full text (stemmed, accents folded) and filters, sorted, paginated.

Every value reaches PostgreSQL as a bound parameter; the only SQL assembled here is from
fixed fragments chosen by the validated filter names.
"""

from __future__ import annotations

from typing import Any

import psycopg

from .tenders import STATE_SQL

LIST_COLUMNS = ("t.id, t.title, t.buyer_name, t.buyer_siret, t.cpv_main, t.departments,"
                " t.estimated_amount, t.currency, t.deadline, t.closes_at, t.result,"
                f" {STATE_SQL} AS state, t.procedure_type, t.notice_type, t.reserved,"
                " t.social_criteria, t.social_clause, t.insertion_clause, t.in_territory,"
                " t.renewal_expected_on, t.url, t.documents_url, t.version, t.updated_at,"
                " (SELECT count(*) FROM tender_lots l WHERE l.tender_id = t.id) AS lot_count,"
                # Its first notice's source, as the tender's page says it (« centrale »: a
                # buyer's need posted at the Centrale).
                " (SELECT n.source FROM tender_notices n WHERE n.tender_id = t.id"
                " ORDER BY n.received_at, n.source, n.source_id LIMIT 1) AS origin")

# "Deadline" is when the tender closes: the last deadline of its lots still open.
SORTS = {
    "deadline": "t.closes_at ASC NULLS LAST, t.id",
    "-deadline": "t.closes_at DESC NULLS LAST, t.id DESC",
    "-updated": "t.updated_at DESC, t.id DESC",
    "relevance": "rank DESC, t.deadline ASC NULLS LAST, t.id",
}


def _conditions(filters: dict[str, Any]) -> tuple[list[str], dict[str, Any]]:
    where: list[str] = []
    params: dict[str, Any] = {}
    if filters.get("q"):
        where.append("t.search @@ websearch_to_tsquery('fr_unaccent', %(q)s)")
        params["q"] = filters["q"]
    if filters.get("cpv"):
        where.append("t.cpv_prefixes && %(cpv)s")
        params["cpv"] = filters["cpv"]
    if filters.get("department"):
        where.append("t.departments && %(department)s")
        params["department"] = filters["department"]
    if filters.get("deadline_from"):
        where.append("t.closes_at >= %(deadline_from)s")
        params["deadline_from"] = filters["deadline_from"]
    if filters.get("deadline_to"):
        where.append("t.closes_at <= %(deadline_to)s")
        params["deadline_to"] = filters["deadline_to"]
    if filters.get("buyer"):
        if filters["buyer"].isdigit():
            where.append("t.buyer_siret = %(buyer)s")
        else:
            where.append("t.buyer_search @@ plainto_tsquery('fr_unaccent', %(buyer)s)")
        params["buyer"] = filters["buyer"]
    if filters.get("clause") == "social":
        where.append("(t.social_clause OR t.insertion_clause)")
    elif filters.get("clause") == "insertion":
        where.append("t.insertion_clause")
    if filters.get("reserved") is True:
        where.append("t.reserved <> '{}'")
    elif filters.get("reserved") is False:
        where.append("t.reserved = '{}'")
    if filters.get("reservation"):
        where.append("%(reservation)s = ANY(t.reserved)")
        params["reservation"] = filters["reservation"]
    if filters.get("min_value") is not None:
        where.append("t.estimated_amount >= %(min_value)s")
        params["min_value"] = filters["min_value"]
    if filters.get("max_value") is not None:
        where.append("t.estimated_amount <= %(max_value)s")
        params["max_value"] = filters["max_value"]
    status = filters.get("status", "all")
    if status == "open":
        # Open means one can still answer: no result, and a lot's deadline ahead. (Undated
        # notices — prior information, expected renewals — appear under "all".) A plain range
        # on closes_at lets the open tenders' index serve both the filter and the sort.
        where.append("t.result IS NULL AND t.closes_at > now()"
                     " AND t.notice_type IN ('contract', 'prior_information', 'corrigendum')")
    elif status == "closed":
        where.append("t.result IS NULL AND t.closes_at <= now()")
    elif status in ("awarded", "unsuccessful", "cancelled"):
        where.append("t.result = %(result)s")
        params["result"] = status
    if filters.get("in_territory") is not None:
        where.append("t.in_territory = %(in_territory)s")
        params["in_territory"] = filters["in_territory"]
    if filters.get("renewal") is True:
        where.append("t.renewal_expected_on IS NOT NULL")
    if filters.get("notice_type"):
        where.append("t.notice_type = %(notice_type)s")
        params["notice_type"] = filters["notice_type"]
    return where, params


# Counting every match of a broad search on a million tenders costs more than the page
# itself: when the planner expects more matches than this, its estimate is the total given.
EXACT_COUNT_UP_TO = 5000
# Ranking by relevance reads every match; it ranks the first this many by deadline only.
RANKED_AT_MOST = 200


def search_tenders(conn: psycopg.Connection, filters: dict[str, Any], limit: int,
                   offset: int) -> tuple[list[dict[str, Any]], int]:
    """A page of tenders and the number of matches (exact up to ``EXACT_COUNT_UP_TO``, the
    planner's estimate beyond)."""
    where, params = _conditions(filters)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    sort = filters.get("sort") or ("relevance" if filters.get("q") else "deadline")
    if sort == "relevance" and not filters.get("q"):
        sort = "deadline"
    rank = ("ts_rank(t.search, websearch_to_tsquery('fr_unaccent', %(q)s))"
            if filters.get("q") else "0")
    total = count_matches(conn, clause, params)
    if sort == "relevance":
        # Rank a bounded set: the soonest matches, then order those by relevance.
        rows = conn.execute(
            f"SELECT * FROM (SELECT {LIST_COLUMNS}, {rank} AS rank FROM tenders t{clause}"
            f" ORDER BY {SORTS['deadline']} LIMIT %(ranked)s) AS t"
            f" ORDER BY rank DESC, deadline ASC NULLS LAST, id LIMIT %(limit)s OFFSET %(offset)s",
            {**params, "ranked": RANKED_AT_MOST, "limit": limit, "offset": offset}).fetchall()
        return rows, total
    rows = conn.execute(
        f"SELECT {LIST_COLUMNS}, {rank} AS rank FROM tenders t{clause}"
        f" ORDER BY {SORTS[sort]} LIMIT %(limit)s OFFSET %(offset)s",
        {**params, "limit": limit, "offset": offset}).fetchall()
    return rows, total


def count_matches(conn: psycopg.Connection, clause: str, params: dict[str, Any]) -> int:
    """Exact for a few thousand matches, the planner's estimate for more."""
    plan = conn.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM tenders t{clause}",
                        params).fetchone()
    estimate = int(next(iter(plan.values()))[0]["Plan"]["Plan Rows"])
    if estimate > EXACT_COUNT_UP_TO:
        return estimate
    return conn.execute(f"SELECT count(*) AS n FROM tenders t{clause}", params).fetchone()["n"]
