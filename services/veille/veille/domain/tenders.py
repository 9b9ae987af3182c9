"""A tender as veille stores it, built from its merged notice: its columns, lots, awards,
summary, and the state it is in. Pure: the store only writes what this returns.

The lifecycle, one for every format:

- a lot's **result** is what its notices say: ``awarded``, ``unsuccessful`` (« infructueux »:
  no acceptable tender) or ``cancelled`` (« sans suite », annulation); none while it runs;
- the tender's result: ``cancelled`` when the procedure is; else the procedure's own result
  when a notice states one for the whole; else, once every lot has a result, ``awarded`` when
  one lot at least was awarded, ``cancelled`` when all were cancelled, ``unsuccessful``
  otherwise; a lot-less notice with awards is ``awarded``;
- ``closes_at``: the last deadline of the lots still without a result (their own deadline, or
  the tender's); the tender's deadline when it has no lots;
- its **state**: its result when it has one; else ``open`` until ``closes_at`` (or with no
  deadline known) and ``closed`` after it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Iterable

from . import procedures

RESULTS = ("awarded", "unsuccessful", "cancelled")
STATES = ("open", "closed", *RESULTS)


def _moment(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def lots_of(notice: dict[str, Any]) -> list[dict[str, Any]]:
    return [lot for lot in notice.get("lots") or [] if lot.get("id")]


def tender_result(notice: dict[str, Any]) -> str | None:
    """The tender's result (see the module's docstring), or None while it runs."""
    if notice.get("cancelled"):
        return "cancelled"
    if notice.get("result") in RESULTS:
        return notice["result"]
    lots = lots_of(notice)
    if lots:
        # Each lot as lot_result reads it: a lot the awards name is awarded even when the
        # notice states no result for it (a notice typed through the API), as its row says.
        results = [lot_result(notice, lot) for lot in lots]
        if None in results:
            return None
        if "awarded" in results:
            return "awarded"
        return "cancelled" if set(results) == {"cancelled"} else "unsuccessful"
    if notice.get("awards") or notice.get("notice_type") == "award":
        return "awarded"
    return None


def lot_result(notice: dict[str, Any], lot: dict[str, Any]) -> str | None:
    """A lot's result: its own, else awarded when the awards name it, else the whole
    procedure's when that one ended it (a cancellation ends the lots not yet awarded)."""
    if lot.get("result") in RESULTS:
        return lot["result"]
    if any(award.get("lot") == lot["id"] for award in notice.get("awards") or []):
        return "awarded"
    if notice.get("cancelled"):
        return "cancelled"
    whole = notice.get("result")
    return whole if whole in RESULTS else None


def closes_at(notice: dict[str, Any]) -> str | None:
    """The last deadline still to come of the lots without a result (ISO 8601)."""
    lots = lots_of(notice)
    if not lots:
        return notice.get("deadline")
    open_deadlines = [lot.get("deadline") or notice.get("deadline") for lot in lots
                      if lot_result(notice, lot) is None]
    moments = [(_moment(d), d) for d in open_deadlines if d]
    moments = [pair for pair in moments if pair[0] is not None]
    if not moments:
        return None if len(open_deadlines) == 0 else notice.get("deadline")
    return max(moments)[1]


def state(result: str | None, closing: datetime | None, now: datetime) -> str:
    """``open``, ``closed`` or the result (see the module's docstring)."""
    if result:
        return result
    return "closed" if closing is not None and closing <= now else "open"


def buyer_key(notice: dict[str, Any]) -> str | None:
    """Who the buyer is, to gather its tenders: its SIRET, else its folded name."""
    buyer = notice.get("buyer") or {}
    if buyer.get("siret"):
        return buyer["siret"]
    name = procedures.fold(buyer.get("name"))
    return f"nom:{name}" if name else None


def winner_key(winner: dict[str, Any]) -> str:
    return winner.get("siret") or f"nom:{procedures.fold(winner.get('name'))}"


def tender_columns(notice: dict[str, Any], perimeter: Iterable[str], today: date
                   ) -> dict[str, Any]:
    """The tenders row of a merged notice (``notice`` stays a plain dict: the store wraps it)."""
    buyer = notice.get("buyer") or {}
    value = notice.get("estimated_value") or {}
    lots = lots_of(notice)
    codes = [notice.get("cpv_main"), *(notice.get("cpv_additional") or []),
             *(lot.get("cpv_main") for lot in lots)]
    return {
        "fingerprint": procedures.fingerprint(notice),
        "title": notice.get("title") or f"Avis {notice['source_id']}",
        "description": notice.get("description") or "",
        "buyer_name": buyer.get("name"),
        "buyer_siret": buyer.get("siret"),
        "buyer_key": buyer_key(notice),
        "cpv_main": notice.get("cpv_main"),
        "cpv_codes": sorted({code for code in codes if code}),
        "cpv_prefixes": sorted({code[:k] for code in codes if code for k in range(2, 9)}),
        "nuts": (notice.get("place") or {}).get("nuts") or [],
        "departments": procedures.notice_departments(notice),
        "estimated_amount": value.get("amount"),
        "currency": value.get("currency"),
        "deadline": notice.get("deadline"),
        "closes_at": closes_at(notice),
        "result": tender_result(notice),
        "procedure_type": notice.get("procedure_type"),
        "notice_type": notice.get("notice_type") or "other",
        "reserved": notice.get("reserved") or [],
        "social_criteria": bool(notice.get("social_criteria")),
        "social_clause": bool(notice.get("social_clause"))
        or any(lot.get("social_clause") for lot in lots),
        "insertion_clause": bool(notice.get("insertion_clause"))
        or any(lot.get("insertion_clause") for lot in lots),
        "url": notice.get("url"),
        "documents_url": notice.get("documents_url"),
        "language": notice.get("language"),
        "in_territory": procedures.in_territory(notice, perimeter),
        "renewal_expected_on": procedures.renewal_expected_on(notice, today),
        "contract_end": procedures.contract_end(notice),
        "lots_text": "\n".join(" ".join(filter(None, (lot.get("title"), lot.get("description"))))
                               for lot in lots),
        "notice": notice,
    }


LOT_COLUMNS = ("lot_id", "title", "cpv_main", "estimated_amount", "deadline", "reserved",
               "result", "social_clause", "insertion_clause", "insertion_hours")


def lot_rows(notice: dict[str, Any]) -> list[dict[str, Any]]:
    """The tender_lots rows of a merged notice."""
    return [{
        "lot_id": lot["id"], "title": lot.get("title"), "cpv_main": lot.get("cpv_main"),
        "estimated_amount": (lot.get("estimated_value") or {}).get("amount"),
        "deadline": lot.get("deadline") or notice.get("deadline"),
        "reserved": lot.get("reserved") or [],
        "result": lot_result(notice, lot),
        "social_clause": bool(lot.get("social_clause")),
        "insertion_clause": bool(lot.get("insertion_clause")),
        "insertion_hours": lot.get("insertion_hours"),
    } for lot in lots_of(notice)]


AWARD_COLUMNS = ("lot_id", "winner_key", "winner_name", "winner_siret", "amount", "currency",
                 "awarded_on", "contract_end", "source", "source_id", "cpv_class")


def award_rows(notice: dict[str, Any], source: str, source_id: str) -> list[dict[str, Any]]:
    """One row per (lot, winner) of a notice's awards, deduplicated."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    contract = notice.get("contract") or {}
    for award in notice.get("awards") or []:
        winner = award.get("winner") or {}
        if not (winner.get("siret") or winner.get("name")):
            continue
        amount = award.get("amount") or {}
        row = {
            "lot_id": award.get("lot") or "", "winner_key": winner_key(winner),
            "winner_name": winner.get("name"), "winner_siret": winner.get("siret"),
            "amount": amount.get("amount"), "currency": amount.get("currency"),
            "awarded_on": award.get("date"),
            "contract_end": contract.get("end") or notice.get("contract_end"),
            "source": source, "source_id": source_id,
            "cpv_class": _lot_cpv(notice, award.get("lot"))[:4] or None,
        }
        rows[(row["lot_id"], row["winner_key"])] = row
    return list(rows.values())


def _lot_cpv(notice: dict[str, Any], lot_id: str | None) -> str:
    """The CPV code of what was awarded: the lot's own, else the procedure's."""
    lot = next((lot for lot in lots_of(notice) if lot["id"] == lot_id), None)
    return (lot or {}).get("cpv_main") or notice.get("cpv_main") or ""


SUMMARY_KEYS = ("buyer", "cpv_main", "cpv_additional", "estimated_value", "procedure_type",
                "notice_type", "reserved", "social_criteria", "url", "documents_url")


def tender_summary(notice: dict[str, Any]) -> dict[str, Any]:
    """What other services keep of a tender: see TenderSummarySchema in the event contracts."""
    summary = {key: notice.get(key) for key in SUMMARY_KEYS if notice.get(key) is not None}
    summary["departments"] = procedures.notice_departments(notice)
    summary["result"] = tender_result(notice)
    summary["closes_at"] = closes_at(notice)
    summary["lots"] = [
        {**{key: lot.get(key) for key in ("id", "title", "cpv_main", "estimated_value",
                                          "deadline", "reserved") if lot.get(key) is not None},
         "result": lot_result(notice, lot)}
        for lot in lots_of(notice)
    ]
    return summary


def published_event_data(tender_id: int, notice: dict[str, Any],
                         columns: dict[str, Any]) -> dict[str, Any]:
    """The data of ``tender.published`` for a tender just stored."""
    return {"tender_id": tender_id, "source": notice["source"], "source_id": notice["source_id"],
            "title": columns["title"], "deadline": columns["deadline"],
            "tender": tender_summary(notice)}


def result_event(tender_id: int, before: str | None, columns: dict[str, Any],
                 notice: dict[str, Any], structures: list[int]) -> tuple[str, dict] | None:
    """``tender.awarded`` or ``tender.cancelled`` when a merge gave the tender its result
    (``unsuccessful`` is told as a cancellation of the call: nobody will be chosen); None
    when the result did not change. ``structures``: the structures alerted about it."""
    after = columns["result"]
    if after == before or after is None:
        return None
    data = {"tender_id": tender_id, "title": columns["title"], "result": after,
            "structure_ids": structures, "buyer": (notice.get("buyer") or {}).get("name"),
            "lots": [{"id": lot["id"], "title": lot.get("title"),
                      "result": lot_result(notice, lot)} for lot in lots_of(notice)]}
    if after == "awarded":
        data["awards"] = [{"lot": a.get("lot"), "winner": a.get("winner"), "amount": a.get("amount"),
                           "date": a.get("date")} for a in notice.get("awards") or []]
        return "tender.awarded", data
    return "tender.cancelled", data
