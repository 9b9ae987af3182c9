"""Figures for the impact report over a period.

Definitions (a session belongs to the period of its start, in Paris time; bounds inclusive):
- sessions held: sessions not cancelled whose end has passed; cancelled ones are counted apart;
- participants: confirmed registrations of the sessions held;
- attendance rate = people present / people whose presence was recorded (a session whose
  sheet is not filled yet is left out of the rate, not counted as absent); None when nothing
  was recorded;
- training hours delivered = the sum, over people present, of their hours (the module's
  duration unless fewer were recorded) — « heures stagiaires »;
- satisfaction = the mean of the survey scores (1 to 5) answered for those sessions, with the
  number of answers and their sum (``satisfaction_points``, so that figures of several
  structures add up to an exact mean); None when nobody answered.
Figures are given for the whole period, by month, by module and by structure (a structure's
figures count its own people only, over the sessions where it had someone confirmed: the
portail keeps a territory's structures with them, formation knowing no département).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from centrale.french import PARIS


@dataclass(frozen=True)
class ParticipantRecord:
    structure_id: int
    attended: bool | None  # None: not recorded yet
    hours: Decimal | None = None  # recorded hours of presence
    score: int | None = None  # survey answer


@dataclass(frozen=True)
class SessionRecord:
    session_id: int
    module_code: str
    module_title: str
    starts_at: datetime
    duration_h: Decimal
    cancelled: bool = False
    participants: tuple[ParticipantRecord, ...] = ()


@dataclass(frozen=True)
class Figures:
    sessions_held: int = 0
    sessions_cancelled: int = 0
    participants: int = 0
    attendance_recorded: int = 0
    people_present: int = 0
    structures_trained: int = 0
    training_hours: Decimal = Decimal(0)
    attendance_rate: Decimal | None = None  # 0..1, 3 places
    satisfaction_mean: Decimal | None = None  # 1..5, 2 places
    satisfaction_answers: int = 0
    satisfaction_points: int = 0


@dataclass(frozen=True)
class Breakdown:
    key: str
    label: str
    figures: Figures


@dataclass(frozen=True)
class Report:
    start: date
    end: date
    total: Figures
    by_month: tuple[Breakdown, ...] = field(default_factory=tuple)
    by_module: tuple[Breakdown, ...] = field(default_factory=tuple)
    by_structure: tuple[Breakdown, ...] = field(default_factory=tuple)


MONTH_LABELS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                "septembre", "octobre", "novembre", "décembre")


def _in_period(record: SessionRecord, start: date, end: date) -> bool:
    return start <= record.starts_at.astimezone(PARIS).date() <= end


def figures_of(sessions: Iterable[SessionRecord]) -> Figures:
    sessions = list(sessions)
    held = [s for s in sessions if not s.cancelled]
    participants = [(s, p) for s in held for p in s.participants]
    recorded = [(s, p) for s, p in participants if p.attended is not None]
    present = [(s, p) for s, p in recorded if p.attended]
    hours = sum((p.hours if p.hours is not None else s.duration_h for s, p in present),
                Decimal(0))
    scores = [p.score for _, p in participants if p.score is not None]
    rate = None
    if recorded:
        rate = (Decimal(len(present)) / Decimal(len(recorded))).quantize(
            Decimal("0.001"), rounding=ROUND_HALF_UP)
    mean = None
    if scores:
        mean = (Decimal(sum(scores)) / Decimal(len(scores))).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP)
    return Figures(
        sessions_held=len(held),
        sessions_cancelled=len(sessions) - len(held),
        participants=len(participants),
        attendance_recorded=len(recorded),
        people_present=len(present),
        structures_trained=len({p.structure_id for _, p in present}),
        training_hours=Decimal(hours).quantize(Decimal("0.01")),
        attendance_rate=rate,
        satisfaction_mean=mean,
        satisfaction_answers=len(scores),
        satisfaction_points=sum(scores),
    )


def report(sessions: Iterable[SessionRecord], start: date, end: date) -> Report:
    """The figures of the sessions starting between ``start`` and ``end`` (inclusive)."""
    if end < start:
        raise ValueError("La fin de la période doit suivre son début.")
    kept = sorted((s for s in sessions if _in_period(s, start, end)),
                  key=lambda s: (s.starts_at, s.session_id))
    months: dict[str, list[SessionRecord]] = {}
    modules: dict[str, list[SessionRecord]] = {}
    for record in kept:
        local = record.starts_at.astimezone(PARIS)
        months.setdefault(f"{local.year:04d}-{local.month:02d}", []).append(record)
        modules.setdefault(record.module_code, []).append(record)
    by_month = tuple(
        Breakdown(key, f"{MONTH_LABELS[int(key[5:]) - 1]} {key[:4]}", figures_of(records))
        for key, records in sorted(months.items()))
    by_module = tuple(
        Breakdown(code, records[0].module_title, figures_of(records))
        for code, records in sorted(modules.items()))
    structures = sorted({p.structure_id for s in kept for p in s.participants})
    by_structure = tuple(
        Breakdown(str(structure_id), "", figures_of(own_people(kept, structure_id)))
        for structure_id in structures)
    return Report(start, end, figures_of(kept), by_month, by_module, by_structure)


def own_people(sessions: list[SessionRecord], structure_id: int) -> list[SessionRecord]:
    """The sessions where the structure had someone confirmed, with its people only."""
    kept = []
    for record in sessions:
        own = tuple(p for p in record.participants if p.structure_id == structure_id)
        if own:
            kept.append(replace(record, participants=own))
    return kept
