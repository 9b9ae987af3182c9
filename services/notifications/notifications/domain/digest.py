"""What goes into each person's daily digest.

A digest holds the notifications kept for it (« dans le résumé quotidien ») that no earlier
digest holds: once an item is in a digest it is never selected again, so a digest never repeats
an item, and holds everything new since the previous one. A person who switched a kind to
« never » since the item was kept does not receive it (it is skipped by preference).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from centrale.french import long_date, plural
from .kinds import KINDS, KINDS_BY_CODE, Mode


@dataclass(frozen=True)
class Candidate:
    delivery_id: int
    recipient: str
    recipient_name: str | None
    kind: str
    title: str
    summary: str
    occurred_at: datetime
    current_mode: Mode | None = None  # the person's preference now (None: the kind's default)
    in_digest: bool = False  # already held by an earlier digest
    path: str | None = None  # the portail's page about it


@dataclass(frozen=True)
class Section:
    label: str
    items: tuple[Candidate, ...]


@dataclass
class DigestPlan:
    recipient: str
    recipient_name: str | None = None
    items: list[Candidate] = field(default_factory=list)
    skipped: list[Candidate] = field(default_factory=list)

    @property
    def sections(self) -> list[Section]:
        """The items grouped by kind, in the catalogue's order."""
        return [Section(kind.label, tuple(i for i in self.items if i.kind == kind.code))
                for kind in KINDS if any(i.kind == kind.code for i in self.items)]


def effective_mode(candidate: Candidate) -> Mode:
    if candidate.current_mode is not None:
        return candidate.current_mode
    kind = KINDS_BY_CODE.get(candidate.kind)
    return kind.default if kind else Mode.IMMEDIATE


def plan_digests(candidates: Iterable[Candidate]) -> list[DigestPlan]:
    """One plan per recipient with something to say, items in the order they happened."""
    plans: dict[str, DigestPlan] = {}
    for candidate in sorted(candidates, key=lambda c: (c.recipient, c.occurred_at, c.delivery_id)):
        if candidate.in_digest:
            continue
        plan = plans.setdefault(candidate.recipient, DigestPlan(candidate.recipient))
        plan.recipient_name = plan.recipient_name or candidate.recipient_name
        if effective_mode(candidate) is Mode.NEVER:
            plan.skipped.append(candidate)
        else:
            plan.items.append(candidate)
    return list(plans.values())


def digest_subject(day: date | datetime, count: int) -> str:
    """« Votre résumé du lundi 20 janvier 2027 : 3 nouvelles notifications »."""
    news = plural(count, "nouvelle notification", "nouvelles notifications")
    return f"Votre résumé du {long_date(day)} : {news}"
