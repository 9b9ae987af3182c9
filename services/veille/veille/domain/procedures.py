"""How notices become one tender: identity of a procedure, merging, what changed, territory.

The same procedure can be announced by several notices: BOAMP and TED, a notice published
again, corrigenda. They are recognised by their procedure id (shared across sources by eForms'
ContractFolderID) or, failing that, by a fingerprint of buyer, title and deadline day. Merging
is conservative: a notice from another source only fills what is missing, while a corrigendum
or a new version of the same notice replaces what it states.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime
from typing import Any, Iterable

from centrale.territory import department_from_nuts

TRACKED = ("title", "deadline", "estimated_value", "cpv_main", "procedure_type", "reserved",
           "lots", "buyer", "awards", "cancelled", "result")


def fold(text: str | None) -> str:
    """Lower case, no accents, words separated by one space: for comparing, not showing."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return re.sub(r"[^a-z0-9]+", " ", plain).strip()


def procedure_key(notice: dict[str, Any]) -> str:
    if notice.get("procedure_id"):
        return f"procedure:{notice['procedure_id']}"
    return f"notice:{notice['source']}:{notice['source_id']}"


def fingerprint(notice: dict[str, Any]) -> str | None:
    """Buyer, title and deadline day: the same call for tenders seen in two sources."""
    buyer = notice.get("buyer") or {}
    buyer_key = buyer.get("siret") or fold(buyer.get("name"))
    title = fold(notice.get("title"))
    deadline = (notice.get("deadline") or "")[:10]
    if not buyer_key or len(title) < 10 or not deadline:
        return None
    return f"{buyer_key}|{title}|{deadline}"


def _is_empty(value: Any) -> bool:
    return value in (None, "", [], {})


def merge(existing: dict[str, Any], incoming: dict[str, Any],
          authoritative: bool) -> dict[str, Any]:
    """The tender's notice after ``incoming``: it replaces what it states when authoritative
    (a corrigendum, a new version of the same notice), else only fills what is missing."""
    merged = dict(existing)
    for key, value in incoming.items():
        if key in ("source", "source_id", "notice_type", "awards", "cancelled", "result"):
            continue
        if _is_empty(value):
            continue
        current = merged.get(key)
        if key == "buyer":
            merged[key] = ({**(current or {}), **{k: v for k, v in value.items() if v}}
                           if authoritative else
                           {**{k: v for k, v in value.items() if v}, **{
                               k: v for k, v in (current or {}).items() if v}})
        elif key in ("cpv_additional", "reserved"):
            merged[key] = sorted(set(current or []) | set(value))
        elif key == "place":
            current = current or {}
            merged[key] = {name: sorted(set(current.get(name) or []) | set(value.get(name) or []))
                           for name in ("nuts", "departments")}
        elif key == "social_criteria":
            merged[key] = bool(current) or bool(value)
        elif authoritative or _is_empty(current):
            merged[key] = value
    if existing.get("notice_type") in (None, "corrigendum", "other") and \
            incoming.get("notice_type") not in (None, "corrigendum"):
        merged["notice_type"] = incoming["notice_type"]
    _merge_results(merged, existing, incoming)
    return merged


def _award_key(award: dict[str, Any]) -> tuple:
    winner = award.get("winner") or {}
    return (award.get("lot") or "", winner.get("siret") or fold(winner.get("name")))


def _merge_results(merged: dict[str, Any], existing: dict[str, Any],
                   incoming: dict[str, Any]) -> None:
    """What happened to the procedure is a fact whatever the notice that says it: an award
    or result notice from any source adds its winners and gives its lots their result; a
    cancellation ends it. The lots an award notice names keep their call's other details."""
    awards = {_award_key(a): a for a in existing.get("awards") or []}
    awards.update({_award_key(a): a for a in incoming.get("awards") or []})
    if awards or "awards" in existing or "awards" in incoming:
        merged["awards"] = list(awards.values())
    merged["cancelled"] = bool(existing.get("cancelled")) or bool(incoming.get("cancelled"))
    if incoming.get("result"):
        merged["result"] = incoming["result"]
    results = {lot.get("id"): lot.get("result") for lot in incoming.get("lots") or []
               if lot.get("id") and lot.get("result")}
    if results:
        lots = [dict(lot) for lot in merged.get("lots") or []]
        known = {lot.get("id") for lot in lots}
        for lot in lots:
            if lot.get("id") in results:
                lot["result"] = results[lot["id"]]
        lots += [lot for lot in incoming.get("lots") or [] if lot.get("id") in results
                 and lot.get("id") not in known]
        merged["lots"] = lots


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> dict[str, dict]:
    """The tracked fields that differ, as {field: {"before": …, "after": …}}."""
    changed = {}
    for key in TRACKED:
        old, new = before.get(key), after.get(key)
        if not old and not new:  # None, False, [] and absent say the same: nothing
            continue
        if key == "lots":
            old = [lot.get("id") for lot in old or []]
            new = [lot.get("id") for lot in new or []]
            if old == new:
                lots_before = {l.get("id"): l for l in before.get("lots") or []}
                lots_after = {l.get("id"): l for l in after.get("lots") or []}
                if lots_before == lots_after:
                    continue
                old = [lots_before[i] for i in lots_before]
                new = [lots_after[i] for i in lots_after]
        if key == "deadline" and old and new and _same_instant(old, new):
            continue
        if old != new:
            changed[key] = {"before": old, "after": new}
    return changed


def _same_instant(a: str, b: str) -> bool:
    try:
        return datetime.fromisoformat(a) == datetime.fromisoformat(b)
    except ValueError:
        return a == b


def notice_departments(notice: dict[str, Any]) -> list[str]:
    """Where the work is; failing that, where the buyer is."""
    departments = list((notice.get("place") or {}).get("departments") or [])
    if not departments:
        departments = department_from_nuts((notice.get("buyer") or {}).get("nuts"))
    return sorted(set(departments))


def in_territory(notice: dict[str, Any], perimeter: Iterable[str]) -> bool:
    return bool(set(notice_departments(notice)) & set(perimeter))


RENEWAL_HORIZON_DAYS = 366


def contract_end(notice: dict[str, Any]) -> date | None:
    """When an awarded contract ends: after its avenants (``contract.end``), else the end its
    award gave."""
    end = (notice.get("contract") or {}).get("end") or notice.get("contract_end")
    return date.fromisoformat(end[:10]) if end else None


def renewal_expected_on(notice: dict[str, Any], today: date,
                        horizon_days: int = RENEWAL_HORIZON_DAYS) -> date | None:
    """For an awarded contract (DECP), the day it ends when that is within the horizon."""
    ends = contract_end(notice)
    if notice.get("notice_type") != "award" or ends is None:
        return None
    return ends if 0 <= (ends - today).days <= horizon_days else None


def notice_kind(notice_type: str, renewal_on: date | None) -> str:
    """What matching calls the tender: contract, prior_information, renewal or other."""
    if renewal_on is not None:
        return "renewal"
    if notice_type == "corrigendum":
        return "contract"
    return notice_type if notice_type in ("contract", "prior_information") else "other"
