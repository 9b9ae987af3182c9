"""Impact figures for funders, computed from plain records over a period.

Definitions (period bounds inclusive):
- a case is active in the period if opened on or before its end and not
  closed before its start;
- structures helped: structures with an active case or coaching hours in the
  period, counted once, by category;
- cases by stage: active cases by their recorded stage (the current one: pass
  records as they stood at the period's end for a historical snapshot);
- answers submitted, won, lost, amounts won and consortia formed are counted
  on the date of the event (submitted_on, decided_on, consortium_formed_on);
- win rate = won / (won + lost), None when nothing was decided;
- diagnoses: cases whose bid / no-bid diagnosis was completed in the period, each case once
  (a diagnosis done again is the same coaching act);
- territory: a structure belongs to the départements asked by the département of its record
  (``structures.departement``, where it is established — every structure has one, while the
  départements of its directory card exist only if it has one). Every figure counts only the
  structures of the territory and their cases; no territory asked means every structure;
- insertion hours: the hours of insertion done on the contracts with a social clause that the
  facilitator follows, entered month by month; a month's hours count in every period that
  touches that month (a period cut inside a month counts the whole month's hours, which are
  not known day by day). They follow the territory of the contract's tender (its
  départements), whoever won it; a structure's own are those of the contracts it won (the
  winner's SIRET is its own);
- by structure: the same figures for each structure of the territory (every one, with zeros),
  so that the portail can show them to advisors and keep the other services' per-structure
  figures (training, buyers' needs) to the territory. Never shown publicly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from .stages import Stage
from .structures import Category


@dataclass(frozen=True)
class StructureRecord:
    structure_id: str
    category: Category
    name: str = ""
    departement: str = ""


@dataclass(frozen=True)
class CaseRecord:
    case_id: str
    structure_id: str
    stage: Stage
    opened_on: date
    submitted_on: date | None = None
    decided_on: date | None = None  # when won or lost was recorded
    amount_won: Decimal | None = None  # euros excluding VAT, for won cases
    consortium_formed_on: date | None = None
    closed_on: date | None = None  # when the case reached a terminal stage


@dataclass(frozen=True)
class CoachingRecord:
    structure_id: str
    on: date
    hours: Decimal
    case_id: str | None = None


@dataclass(frozen=True)
class DiagnosisRecord:
    case_id: str
    structure_id: str
    on: date


@dataclass(frozen=True)
class InsertionRecord:
    """The hours of insertion done on a followed contract in one month."""

    contract_id: str
    month: date  # its first day
    hours: Decimal
    departements: tuple[str, ...] = ()  # where the contract's tender is
    structure_id: str | None = None  # the registered structure that won it, if any


@dataclass(frozen=True)
class ImpactInput:
    start: date
    end: date
    structures: tuple[StructureRecord, ...] = ()
    cases: tuple[CaseRecord, ...] = ()
    coaching: tuple[CoachingRecord, ...] = ()
    diagnoses: tuple[DiagnosisRecord, ...] = ()
    departements: frozenset[str] = frozenset()  # empty: every structure
    insertion: tuple[InsertionRecord, ...] = ()


def _month_touches(month: date, start: date, end: date) -> bool:
    return start.replace(day=1) <= month <= end


def in_territory(data: ImpactInput) -> ImpactInput:
    """The input kept to the structures of the territory asked, and to their records."""
    if not data.departements:
        return data
    kept = tuple(s for s in data.structures if s.departement in data.departements)
    ids = {s.structure_id for s in kept}
    return replace(data, structures=kept,
                   cases=tuple(c for c in data.cases if c.structure_id in ids),
                   coaching=tuple(c for c in data.coaching if c.structure_id in ids),
                   diagnoses=tuple(d for d in data.diagnoses if d.structure_id in ids),
                   insertion=tuple(i for i in data.insertion
                                   if data.departements.intersection(i.departements)))


def compute_impact(data: ImpactInput) -> dict:
    """The figures as a dict of plain values (Decimal for money, hours and rates).

    Keys: period, departements, structures_helped {total, by_category}, cases_by_stage,
    answers_submitted, won, lost, win_rate, amount_won, coaching_hours,
    consortia_formed, diagnoses, insertion_hours, by_month, by_structure. Every category and stage is present,
    with 0 if need be, so that reports keep the same shape from one period to the next.
    """
    if data.end < data.start:
        raise ValueError("La fin de la période précède son début.")
    data = in_territory(data)

    def within(day: date | None) -> bool:
        return day is not None and data.start <= day <= data.end

    active = [
        case
        for case in data.cases
        if case.opened_on <= data.end and (case.closed_on is None or case.closed_on >= data.start)
    ]
    coaching = [record for record in data.coaching if within(record.on)]
    insertion = [record for record in data.insertion
                 if _month_touches(record.month, data.start, data.end)]
    helped_ids = {case.structure_id for case in active} | {record.structure_id for record in coaching}
    categories = {record.structure_id: record.category for record in data.structures}
    unknown = sorted(helped_ids - categories.keys())
    if unknown:
        raise ValueError(f"Structures sans catégorie connue : {', '.join(unknown)}.")

    by_category = {category.value: 0 for category in Category}
    for structure_id in helped_ids:
        by_category[categories[structure_id].value] += 1
    by_stage = {stage.value: 0 for stage in Stage}
    for case in active:
        by_stage[case.stage.value] += 1

    decided = [case for case in data.cases if within(case.decided_on)]
    won = [case for case in decided if case.stage is Stage.WON]
    lost = [case for case in decided if case.stage is Stage.LOST]
    win_rate = None
    if won or lost:
        win_rate = (Decimal(len(won)) / Decimal(len(won) + len(lost))).quantize(
            Decimal("0.0001"), rounding=ROUND_HALF_UP
        )

    return {
        "period": {"start": data.start, "end": data.end},
        "departements": sorted(data.departements),
        "structures_helped": {"total": len(helped_ids), "by_category": by_category},
        "cases_by_stage": by_stage,
        "answers_submitted": sum(1 for case in data.cases if within(case.submitted_on)),
        "won": len(won),
        "lost": len(lost),
        "win_rate": win_rate,
        "amount_won": sum((case.amount_won or Decimal(0) for case in won), Decimal("0.00")),
        "coaching_hours": sum((record.hours for record in coaching), Decimal(0)),
        "consortia_formed": sum(1 for case in data.cases if within(case.consortium_formed_on)),
        "diagnoses": len({d.case_id for d in data.diagnoses if within(d.on)}),
        "insertion_hours": sum((record.hours for record in insertion), Decimal(0)),
        "by_month": monthly(data),
        "by_structure": per_structure(data, active, coaching, decided, insertion),
    }


def per_structure(data: ImpactInput, active: list[CaseRecord], coaching: list[CoachingRecord],
                  decided: list[CaseRecord], insertion: list[InsertionRecord]) -> list[dict]:
    """Each structure of the territory with its own figures of the period, by name."""
    rows = {record.structure_id: {
        "structure_id": record.structure_id, "name": record.name,
        "departement": record.departement, "category": record.category.value,
        "helped": False, "active_cases": 0, "answers_submitted": 0, "won": 0,
        "amount_won": Decimal("0.00"), "coaching_hours": Decimal(0), "diagnoses": 0,
        "insertion_hours": Decimal(0),
    } for record in data.structures}
    for record in insertion:
        if record.structure_id in rows:
            rows[record.structure_id]["insertion_hours"] += record.hours
    for case in active:
        rows[case.structure_id]["active_cases"] += 1
        rows[case.structure_id]["helped"] = True
    for record in coaching:
        rows[record.structure_id]["coaching_hours"] += record.hours
        rows[record.structure_id]["helped"] = True
    for case in data.cases:
        if (case.structure_id in rows and case.submitted_on is not None
                and data.start <= case.submitted_on <= data.end):
            rows[case.structure_id]["answers_submitted"] += 1
    for case in decided:
        if case.stage is Stage.WON and case.structure_id in rows:
            rows[case.structure_id]["won"] += 1
            rows[case.structure_id]["amount_won"] += case.amount_won or Decimal(0)
    diagnosed = {(d.structure_id, d.case_id) for d in data.diagnoses
                 if data.start <= d.on <= data.end}
    for structure_id, _ in diagnosed:
        if structure_id in rows:
            rows[structure_id]["diagnoses"] += 1
    return sorted(rows.values(), key=lambda row: (row["name"].casefold(), row["structure_id"]))


def months_of(start: date, end: date) -> list[tuple[date, date]]:
    """The calendar months a period touches, each cut to the period (the last 24 at most)."""
    months = []
    first = start.replace(day=1)
    while first <= end:
        following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
        months.append((max(first, start), min(following - timedelta(days=1), end)))
        first = following
    return months[-24:]


def monthly(data: ImpactInput) -> list[dict]:
    """Answers submitted, contracts won, amounts won and insertion hours, month by month (for
    the charts)."""
    rows = []
    for first, last in months_of(data.start, data.end):
        won = [case for case in data.cases if case.stage is Stage.WON
               and case.decided_on is not None and first <= case.decided_on <= last]
        rows.append({
            "month": first.replace(day=1),
            "answers_submitted": sum(1 for case in data.cases if case.submitted_on is not None
                                     and first <= case.submitted_on <= last),
            "won": len(won),
            "amount_won": sum((case.amount_won or Decimal(0) for case in won), Decimal("0.00")),
            "insertion_hours": sum((record.hours for record in data.insertion
                                    if record.month == first.replace(day=1)), Decimal(0)),
        })
    return rows
