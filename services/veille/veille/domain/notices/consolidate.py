"""Rules every notice goes through once its parser has read the source.

Parsers only transcribe what their format says; the rules that make notices
from different sources comparable live here, in one place:

- lot CPV codes also count for the notice (a structure matching lot 3 must
  find the notice), after the main code, without duplicates;
- départements are derived from the NUTS codes, then deduplicated and sorted;
  a notice that gives no place at all is placed at its buyer's NUTS code (the
  buyer's territory is the best guess of where the work happens);
- the notice is reserved as soon as one of its lots is (`reserved` on the
  notice is the union; each lot says which);
- a lot without its own deadline takes the notice's; a notice without one
  takes the earliest lot deadline (the first one a structure could miss);
- a notice without an estimated value takes the sum of its lots' values when
  every lot has one, in one currency;
- results: a lot with a winner is awarded; a procedure whose lots all share
  one result has that result, one with any winner is awarded; a procedure
  cancelled or unsuccessful as a whole passes that to the lots that say
  nothing; `cancelled` and the result "cancelled" go together;
- clauses: an insertion clause is a social clause; the notice carries a
  clause when any lot does; its insertion hours, when it states none, are
  the sum of its lots'.
"""

from __future__ import annotations

from .codes import cpv
from .model import Money, Notice
from centrale.territory import department_from_nuts


def consolidate(notice: Notice) -> Notice:
    """Apply the shared rules to `notice` (in place) and return it."""
    notice.title = " ".join((notice.title or "").split())
    notice.description = (notice.description or "").strip()
    _consolidate_cpv(notice)
    _consolidate_place(notice)
    _consolidate_deadlines(notice)
    _consolidate_reservations(notice)
    _consolidate_value(notice)
    _consolidate_results(notice)
    _consolidate_clauses(notice)
    if not notice.title:
        notice.title = next((lot.title for lot in notice.lots if lot.title), "") or notice.description[:200]
    return notice


def _unique(codes) -> list[str]:
    seen: list[str] = []
    for code in codes:
        if code and code not in seen:
            seen.append(code)
    return seen


def _consolidate_cpv(notice: Notice) -> None:
    notice.cpv_main = cpv(notice.cpv_main)
    for lot in notice.lots:
        lot.cpv_main = cpv(lot.cpv_main)
    if not notice.cpv_main:
        notice.cpv_main = next((lot.cpv_main for lot in notice.lots if lot.cpv_main), None)
    lot_codes = [code for lot in notice.lots for code in [lot.cpv_main, *lot.cpv_additional]]
    codes = _unique(cpv(code) for code in [*notice.cpv_additional, *lot_codes])
    notice.cpv_additional = [code for code in codes if code != notice.cpv_main]


def _consolidate_place(notice: Notice) -> None:
    if not notice.place.nuts and not notice.place.departments and notice.buyer.nuts:
        notice.place.nuts = [notice.buyer.nuts]
    nuts = _unique(code.strip().upper() for code in notice.place.nuts if code and code.strip())
    departments = set(notice.place.departments)
    for code in nuts:
        departments.update(department_from_nuts(code))
    notice.place.nuts = sorted(nuts)
    notice.place.departments = sorted(dep for dep in departments if dep)


def _consolidate_deadlines(notice: Notice) -> None:
    if notice.deadline is None:
        lot_deadlines = [lot.deadline for lot in notice.lots if lot.deadline]
        notice.deadline = min(lot_deadlines) if lot_deadlines else None
    for lot in notice.lots:
        if lot.deadline is None:
            lot.deadline = notice.deadline


def _consolidate_reservations(notice: Notice) -> None:
    reserved = set(notice.reserved)
    for lot in notice.lots:
        lot.reserved = sorted(set(lot.reserved))
        reserved.update(lot.reserved)
    notice.reserved = sorted(reserved)


def _consolidate_value(notice: Notice) -> None:
    if notice.estimated_value or not notice.lots:
        return
    values = [lot.estimated_value for lot in notice.lots]
    if all(values) and len({value.currency for value in values}) == 1:
        notice.estimated_value = Money(sum(value.amount for value in values), values[0].currency)


def _consolidate_results(notice: Notice) -> None:
    awarded_lots = {award.lot for award in notice.awards}
    for lot in notice.lots:
        if lot.result is None and lot.id in awarded_lots:
            lot.result = "awarded"
    if notice.cancelled and notice.result is None:
        notice.result = "cancelled"
    if notice.result in ("cancelled", "unsuccessful"):
        for lot in notice.lots:
            lot.result = lot.result or notice.result
    lot_results = {lot.result for lot in notice.lots}
    if notice.result is None:
        if notice.lots and len(lot_results) == 1 and None not in lot_results:
            notice.result = lot_results.pop()
        elif notice.awards or "awarded" in lot_results:
            notice.result = "awarded"
    notice.cancelled = notice.cancelled or notice.result == "cancelled"


def _consolidate_clauses(notice: Notice) -> None:
    for holder in [*notice.lots, notice]:
        holder.insertion_clause = holder.insertion_clause or bool(holder.insertion_hours)
        holder.social_clause = holder.social_clause or holder.insertion_clause
    notice.social_clause = notice.social_clause or any(lot.social_clause for lot in notice.lots)
    notice.insertion_clause = notice.insertion_clause or any(lot.insertion_clause for lot in notice.lots)
    if notice.insertion_hours is None:
        hours = [lot.insertion_hours for lot in notice.lots if lot.insertion_hours]
        notice.insertion_hours = sum(hours) if hours else None
