"""The market's memory: what a buyer publishes and awards, what a winner wins, and which
contracts come up for renewal — read from the tenders and their awards."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import psycopg

from ..domain.procedures import RENEWAL_HORIZON_DAYS
from .tenders import STATE_SQL

_TENDER = ("t.id, t.title, t.buyer_name, t.cpv_main, t.deadline, t.closes_at, t.result,"
           f" {STATE_SQL} AS state, t.estimated_amount, t.currency, t.reserved,"
           " t.social_clause, t.insertion_clause, t.notice_type, t.renewal_expected_on,"
           " t.contract_end, t.updated_at")
_AWARD = ("a.tender_id, t.title, t.buyer_name, t.buyer_key, nullif(a.lot_id, '') AS lot,"
          " a.winner_name, a.winner_siret, a.amount, a.currency, a.awarded_on, a.contract_end,"
          " t.cpv_main")
LIST_LIMIT = 50
# Newest awards first; a tender's lots in their own order (« 2 » before « 10 »).
AWARD_ORDER = ("a.awarded_on DESC NULLS LAST, a.tender_id DESC, length(a.lot_id), a.lot_id,"
               " a.winner_name")
MAIN_TRADES = 5  # a winner's CPV classes whose other winners its page lists


def find_buyers(conn: psycopg.Connection, words: str, limit: int = 20) -> list[dict[str, Any]]:
    """Buyers whose name holds these words (French, accents folded), busiest first."""
    return conn.execute(
        "SELECT t.buyer_key AS key, max(t.buyer_name) AS name, max(t.buyer_siret) AS siret,"
        " count(*) AS tenders FROM tenders t"
        " WHERE t.buyer_search @@ plainto_tsquery('fr_unaccent', %s) AND t.buyer_key IS NOT NULL"
        " GROUP BY t.buyer_key ORDER BY count(*) DESC, 2 LIMIT %s", (words, limit)).fetchall()


def buyer_page(conn: psycopg.Connection, buyer_key: str, today: date) -> dict[str, Any] | None:
    """A buyer's open and past tenders, its awards, its contracts coming up for renewal, and
    the share of its lots reserved or with a social clause (what a SPASER asks it to raise)."""
    buyer = conn.execute(
        "SELECT max(buyer_name) AS name, max(buyer_siret) AS siret, count(*) AS tenders"
        " FROM tenders WHERE buyer_key = %s", (buyer_key,)).fetchone()
    if not buyer or not buyer["tenders"]:
        return None
    open_tenders = conn.execute(
        f"SELECT {_TENDER} FROM tenders t WHERE t.buyer_key = %s AND t.result IS NULL"
        " AND t.closes_at > now() ORDER BY t.closes_at, t.id LIMIT %s",
        (buyer_key, LIST_LIMIT)).fetchall()
    past = conn.execute(
        f"SELECT {_TENDER} FROM tenders t WHERE t.buyer_key = %s AND (t.result IS NOT NULL"
        " OR t.closes_at <= now()) ORDER BY coalesce(t.closes_at, t.updated_at) DESC, t.id DESC"
        " LIMIT %s", (buyer_key, LIST_LIMIT)).fetchall()
    awards = conn.execute(
        f"SELECT {_AWARD} FROM tenders t JOIN awards a ON a.tender_id = t.id"
        f" WHERE t.buyer_key = %s ORDER BY {AWARD_ORDER} LIMIT %s",
        (buyer_key, LIST_LIMIT)).fetchall()
    renewals = conn.execute(
        f"SELECT {_TENDER} FROM tenders t WHERE t.buyer_key = %s AND t.contract_end"
        " BETWEEN %s AND %s ORDER BY t.contract_end, t.id LIMIT %s",
        (buyer_key, today, today + timedelta(days=RENEWAL_HORIZON_DAYS), LIST_LIMIT)).fetchall()
    shares = conn.execute(
        "SELECT count(*) AS lots,"
        " count(*) FILTER (WHERE coalesce(l.reserved, t.reserved) <> '{}') AS reserved,"
        " count(*) FILTER (WHERE coalesce(l.social_clause OR l.insertion_clause,"
        "  t.social_clause OR t.insertion_clause)) AS social_clause,"
        " count(*) FILTER (WHERE coalesce(l.insertion_clause, t.insertion_clause))"
        "  AS insertion_clause"
        " FROM tenders t LEFT JOIN tender_lots l ON l.tender_id = t.id WHERE t.buyer_key = %s",
        (buyer_key,)).fetchone()
    totals = conn.execute(
        "SELECT count(*) AS awards, sum(a.amount) AS amount FROM tenders t"
        " JOIN awards a ON a.tender_id = t.id WHERE t.buyer_key = %s", (buyer_key,)).fetchone()
    return {"key": buyer_key, "name": buyer["name"], "siret": buyer["siret"],
            "tenders": buyer["tenders"], "open_tenders": open_tenders, "past_tenders": past,
            "awards": awards, "awards_count": totals["awards"],
            "awarded_amount": totals["amount"], "renewals": renewals,
            "lots": shares["lots"], "reserved_lots": shares["reserved"],
            "social_clause_lots": shares["social_clause"],
            "insertion_clause_lots": shares["insertion_clause"]}


def winner_page(conn: psycopg.Connection, siret: str) -> dict[str, Any] | None:
    """What a SIRET won in the territory, and who else wins on the CPV classes it wins most."""
    won = conn.execute(
        f"SELECT {_AWARD} FROM awards a JOIN tenders t ON t.id = a.tender_id"
        f" WHERE a.winner_siret = %s ORDER BY {AWARD_ORDER} LIMIT %s",
        (siret, LIST_LIMIT)).fetchall()
    if not won:
        return None
    totals = conn.execute(
        "SELECT count(*) AS awards, sum(amount) AS amount, max(winner_name) AS name"
        " FROM awards WHERE winner_siret = %s", (siret,)).fetchone()
    classes = sorted(row["cpv_class"] for row in conn.execute(
        "SELECT cpv_class FROM awards WHERE winner_siret = %s AND cpv_class IS NOT NULL"
        " GROUP BY cpv_class ORDER BY count(*) DESC, cpv_class LIMIT %s", (siret, MAIN_TRADES)))
    competitors = conn.execute(
        "SELECT a.winner_key, max(a.winner_name) AS name, max(a.winner_siret) AS siret,"
        " count(*) AS awards, sum(a.amount) AS amount"
        " FROM awards a JOIN tenders t ON t.id = a.tender_id"
        " WHERE a.cpv_class = ANY(%s) AND t.in_territory AND a.winner_key <> %s"
        " GROUP BY a.winner_key ORDER BY count(*) DESC, 2 LIMIT 10",
        (classes, siret)).fetchall() if classes else []
    return {"siret": siret, "name": totals["name"], "awards_count": totals["awards"],
            "awarded_amount": totals["amount"], "awards": won, "cpv_classes": classes,
            "competitors": competitors}


def refresh_renewals(conn: psycopg.Connection, today: date, dry_run: bool = False
                     ) -> tuple[list[int], int]:
    """Compute again which awarded contracts come up for renewal (their end, after their
    avenants, within the horizon): (the tenders newly expected, how many changed)."""
    computed = ("SELECT id, CASE WHEN notice_type = 'award' AND contract_end BETWEEN %(today)s"
                " AND %(until)s THEN contract_end END AS expected FROM tenders"
                " WHERE contract_end IS NOT NULL OR renewal_expected_on IS NOT NULL")
    params = {"today": today, "until": today + timedelta(days=RENEWAL_HORIZON_DAYS)}
    if dry_run:
        rows = conn.execute(
            f"SELECT c.id, c.expected FROM ({computed}) c JOIN tenders t ON t.id = c.id"
            " WHERE t.renewal_expected_on IS DISTINCT FROM c.expected", params).fetchall()
    else:
        rows = conn.execute(
            f"WITH computed AS ({computed}) UPDATE tenders t SET renewal_expected_on ="
            " c.expected, updated_at = now() FROM computed c WHERE t.id = c.id AND"
            " t.renewal_expected_on IS DISTINCT FROM c.expected RETURNING t.id, c.expected",
            params).fetchall()
    return sorted(row["id"] for row in rows if row["expected"]), len(rows)
