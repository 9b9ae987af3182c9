"""Alert profiles matched against tenders, through indexes rather than one test per profile.

A profile says what a structure wants: CPV prefixes (``9091`` covers ``90911200``), French
keywords (each one a group of stemmed, accent-folded lexemes, computed by PostgreSQL's
``fr_unaccent`` text search configuration, that must all appear in the tender's title,
description or lots — never in its buyer's name), départements, a value range, reserved lots
only, lots with a social or insertion clause, and the kinds of notice. A profile has at least
one criterion. Criteria of different kinds must all hold; within a kind, one is enough.

CPV, reservation, clauses, value and deadline are judged per lot (a tender without lots is one
"lot"). Only the lots still open when matching runs count: a lot with a result (awarded,
unsuccessful, cancelled) or whose deadline has passed is never alerted; expected renewals
(awarded contracts ending soon) are the one kind matched after their award, as renewals.

A lot reserved to some structures (see ``reservations``) is matched only for a structure that
may answer it; a structure whose category veille does not know yet is told who the lot is
reserved for, never that it is reserved for it.

**The score** (0–100) is the share of the points a match could earn that it earns, over the
parts that apply to it; each part is shown, with its points, in the "why":

============  ====  ==========================================================================
part          max   points
============  ====  ==========================================================================
cpv           30    how specific the profile's CPV prefix is: 10 for a division (2 digits),
                    up to 30 for the full 8-digit code (applies when the profile has CPV codes)
keywords      25    each keyword found in the title earns its full share, one found only in
                    the description or the lots half of it (applies when it has keywords)
lot           10    10 when the lot's own CPV code meets the profile, 5 when it only inherits
                    the procedure's (applies when the profile has CPV codes)
value         10    10 when the estimated value is within the profile's range, 5 when it is
                    not published (applies when the profile has a range)
reservation   15    15 when the lot is reserved to structures like this one, 5 when veille
                    does not know yet whether it may answer (applies to reserved lots)
time          15    time left before the lot's deadline: 15 from 30 days, 10 from 15 days,
                    5 from 7 days, 0 under a week (applies when the deadline is known)
============  ====  ==========================================================================

Of a tender's lots, the one with the best share of its points explains the match (a reserved
one on ties); the others that fit are listed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable, Iterable, Mapping

from centrale.cpv import prefixes_of
from centrale.french import PARIS, euros, long_date
from centrale.territory import department_name

from .reservations import reserved_for

NOTICE_KINDS = ("contract", "prior_information", "renewal")
DEFAULT_NOTICE_KINDS = NOTICE_KINDS
CLAUSES = ("social", "insertion")
CLAUSE_LABELS = {"social": "clause sociale", "insertion": "clause d'insertion"}

PART_LABELS = {
    "cpv": "Précision du code CPV",
    "keywords": "Mots-clés",
    "lot": "Adéquation du lot",
    "value": "Montant",
    "reservation": "Marché réservé",
    "time": "Délai pour répondre",
}


@dataclass(frozen=True, slots=True)  # slots: 100,000 of them live in the matcher's memory
class Profile:
    id: int
    structure_id: int
    name: str = ""
    cpv_prefixes: tuple[str, ...] = ()
    keywords: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (as typed, its lexemes)
    departments: tuple[str, ...] = ()
    min_value: float | None = None
    max_value: float | None = None
    reserved_only: bool = False
    notice_kinds: tuple[str, ...] = DEFAULT_NOTICE_KINDS
    clauses: tuple[str, ...] = ()


def has_criteria(profile: Profile) -> bool:
    """A profile must say what it looks for: one of these at least (the notice kinds alone
    would alert every tender of the territory)."""
    return bool(profile.cpv_prefixes or profile.keywords or profile.departments
                or profile.min_value is not None or profile.max_value is not None
                or profile.reserved_only or profile.clauses)


@dataclass(frozen=True)
class LotFeatures:
    id: str
    title: str | None = None
    cpv_codes: tuple[str, ...] = ()
    reserved: tuple[str, ...] = ()
    value: float | None = None
    deadline: datetime | None = None
    clauses: tuple[str, ...] = ()
    inherited_cpv: bool = False


@dataclass(frozen=True)
class TenderFeatures:
    id: int
    cpv_codes: tuple[str, ...] = ()
    lexemes: frozenset[str] = frozenset()  # title, description and lots: never the buyer
    title_lexemes: frozenset[str] = frozenset()
    departments: tuple[str, ...] = ()
    value: float | None = None
    reserved: tuple[str, ...] = ()
    notice_kind: str = "contract"
    lots: tuple[LotFeatures, ...] = ()
    renewal_expected_on: date | None = None
    deadline: datetime | None = None
    clauses: tuple[str, ...] = ()

    def units(self) -> tuple[LotFeatures, ...]:
        """The lots, each with the tender's CPV, value or deadline where it has none."""
        if not self.lots:
            return (LotFeatures(id="", cpv_codes=self.cpv_codes, reserved=self.reserved,
                                value=self.value, deadline=self.deadline,
                                clauses=self.clauses),)
        single = len(self.lots) == 1
        return tuple(
            LotFeatures(id=lot.id, title=lot.title, cpv_codes=lot.cpv_codes or self.cpv_codes,
                        inherited_cpv=not lot.cpv_codes,
                        reserved=lot.reserved,
                        value=lot.value if lot.value is not None else
                        (self.value if single else None),
                        deadline=lot.deadline or self.deadline,
                        clauses=lot.clauses)
            for lot in self.lots
        )


@dataclass(slots=True)  # not frozen: thousands are made per tender, frozen ones cost twice
class ScorePart:
    part: str
    points: float
    max: float
    detail: str = ""

    def to_dict(self) -> dict:
        return {"part": self.part, "label": PART_LABELS[self.part],
                "points": round(self.points, 1), "max": self.max, "detail": self.detail}


@dataclass
class Match:
    profile_id: int
    structure_id: int
    score: float
    reasons: list[str]
    lots: list[str] = field(default_factory=list)
    parts: list[ScorePart] = field(default_factory=list)


# Who may answer which reservation: a structure's set, or None when veille does not know it.
Eligibility = Callable[[int], "frozenset[str] | None"]


def _unknown(_structure_id: int) -> frozenset[str] | None:
    return None


ANY_DEPARTMENT = "*"


class ProfileIndex:
    """Profiles filed under (département, kind, key): a tender looks up only the keys its own
    départements, CPV prefixes and lexemes make, so the candidates are close to the matches
    however many profiles there are."""

    def __init__(self, profiles: Iterable[Profile] = ()) -> None:
        self.profiles: dict[int, Profile] = {}
        # Most keys hold one or two profiles: small lists cost a quarter of small sets.
        self._index: dict[tuple[str, str, str], list[int]] = {}
        for profile in profiles:
            self.add(profile)

    def __len__(self) -> int:
        return len(self.profiles)

    @staticmethod
    def _keys_of(profile: Profile) -> list[tuple[str, str, str]]:
        # Filed under its most selective kind of criterion only: it is verified in full later.
        if profile.cpv_prefixes:
            kind, values = "cpv", profile.cpv_prefixes
        elif profile.keywords:
            kind, values = "lex", tuple(max(lexemes, key=len)
                                        for _typed, lexemes in profile.keywords if lexemes)
        else:
            kind, values = "any", ("",)
        departments = profile.departments or (ANY_DEPARTMENT,)
        return [(department, kind, value) for department in departments for value in values]

    def add(self, profile: Profile) -> None:
        self.remove(profile.id)
        self.profiles[profile.id] = profile
        index = self._index
        for key in set(self._keys_of(profile)):
            ids = index.get(key)
            if ids is None:
                index[key] = [profile.id]
            else:
                ids.append(profile.id)

    def remove(self, profile_id: int) -> None:
        profile = self.profiles.pop(profile_id, None)
        if profile is None:
            return
        # Its keys are computed again rather than kept: a kept list per profile doubled the
        # index's memory.
        for key in set(self._keys_of(profile)):
            ids = self._index.get(key)
            if ids is not None and profile_id in ids:
                ids.remove(profile_id)
                if not ids:
                    del self._index[key]

    def candidates(self, tender: TenderFeatures) -> set[int]:
        codes = set(tender.cpv_codes)
        for lot in tender.lots:
            codes.update(lot.cpv_codes)
        prefixes = {prefix for code in codes for prefix in prefixes_of(code)}
        found: set[int] = set()
        index = self._index
        for department in (*tender.departments, ANY_DEPARTMENT):
            for prefix in prefixes:
                ids = index.get((department, "cpv", prefix))
                if ids:
                    found.update(ids)
            for lexeme in tender.lexemes:
                ids = index.get((department, "lex", lexeme))
                if ids:
                    found.update(ids)
            ids = index.get((department, "any", ""))
            if ids:
                found.update(ids)
        return found

    def match(self, tender: TenderFeatures, cpv_labels: Mapping[str, str] | None = None,
              now: datetime | None = None, eligibility: Eligibility = _unknown) -> list[Match]:
        units = tender.units()
        labels = cpv_labels or {}
        reserved = any(unit.reserved for unit in units)
        matches = []
        for profile_id in self.candidates(tender):
            found = match_profile(self.profiles[profile_id], tender, labels, units, now,
                                  eligibility if reserved else _unknown)
            if found is not None:
                matches.append(found)
        matches.sort(key=lambda m: (-m.score, m.profile_id))
        return matches


def _lot_name(lot: LotFeatures) -> str:
    return f"lot {lot.id}" if lot.id else "le marché"


def _paris_clock(moment: datetime) -> datetime:
    return moment.astimezone(PARIS).replace(tzinfo=None)


def _time_points(days: float) -> float:
    return 15 if days >= 30 else 10 if days >= 15 else 5 if days >= 7 else 0


def _days_text(days: float) -> str:
    whole = int(days)
    if whole < 1:
        return "moins d'un jour pour répondre"
    return f"{whole} jour{'s' if whole > 1 else ''} pour répondre"


def _unit_parts(profile: Profile, unit: LotFeatures, cpv_labels: Mapping[str, str],
                now: datetime | None, may_answer: frozenset[str] | None
                ) -> tuple[list[ScorePart], list[str]] | None:
    """(score parts, reasons) when this lot fits the profile, else None."""
    parts: list[ScorePart] = []
    reasons: list[str] = []
    if profile.cpv_prefixes:
        best = max(((code, prefix) for code in unit.cpv_codes for prefix in profile.cpv_prefixes
                    if code.startswith(prefix)), key=lambda pair: len(pair[1]), default=None)
        if best is None:
            return None
        code, prefix = best
        label = cpv_labels.get(code)
        reason = (f"CPV {code}" + (f" ({label})" if label else "")
                  + (f" sous votre {prefix}" if prefix != code else " : votre code"))
        reasons.append(f"{_lot_name(unit)} : {reason}" if unit.id and not unit.reserved
                       else reason)
        parts.append(ScorePart("cpv", 10 + 20 * (len(prefix) - 2) / 6, 30, reason))
        parts.append(ScorePart("lot", 5 if unit.inherited_cpv else 10, 10,
                               "code CPV de la procédure" if unit.inherited_cpv
                               else f"code CPV propre à {_lot_name(unit)}"))
    if profile.reserved_only and not unit.reserved:
        return None
    if profile.clauses:
        shared = [c for c in profile.clauses if c in unit.clauses]
        if not shared:
            return None
        reasons.append(f"{_lot_name(unit)} : " + ", ".join(CLAUSE_LABELS[c] for c in shared))
    if profile.min_value is not None or profile.max_value is not None:
        if unit.value is None:
            parts.append(ScorePart("value", 5, 10, "montant non publié"))
        else:
            if profile.min_value is not None and unit.value < profile.min_value:
                return None
            if profile.max_value is not None and unit.value > profile.max_value:
                return None
            text = f"montant estimé {euros(unit.value)} dans votre fourchette"
            parts.append(ScorePart("value", 10, 10, text))
            reasons.append(text)
    if unit.reserved:
        who = " ; ".join(reserved_for(r) for r in unit.reserved)
        if may_answer is None:
            reasons.append(f"{_lot_name(unit)} {who}")
            parts.append(ScorePart("reservation", 5, 15, f"{who} : à vérifier pour votre structure"))
        elif set(unit.reserved) & may_answer:
            reasons.append(f"{_lot_name(unit)} {who} : votre structure peut y répondre")
            parts.append(ScorePart("reservation", 15, 15, who))
        else:
            return None  # a lot the structure cannot answer is never presented to it
    if unit.deadline is not None and now is not None:
        # Counted on the Paris clock, as J-N reminders are, whatever the offsets given: a
        # lot's deadline (fixed offset) and the tender's closing (Europe/Paris) subtracted
        # as they came differed by an hour across a daylight-saving change.
        left = _paris_clock(unit.deadline) - _paris_clock(now)
        days = left.total_seconds() / 86400
        parts.append(ScorePart("time", _time_points(days), 15, _days_text(days)))
    return parts, reasons


def _share(parts: list[ScorePart]) -> float:
    points = possible = 0.0
    for part in parts:
        points += part.points
        possible += part.max
    return points / possible if possible else 1.0


def match_profile(profile: Profile, tender: TenderFeatures,
                  cpv_labels: Mapping[str, str] | None = None,
                  units: tuple[LotFeatures, ...] | None = None,
                  now: datetime | None = None,
                  eligibility: Eligibility = _unknown) -> Match | None:
    """The match of one profile with one tender, or None; see the module's docstring."""
    cpv_labels = cpv_labels or {}
    if tender.notice_kind not in profile.notice_kinds or not has_criteria(profile):
        return None
    parts: list[ScorePart] = []
    reasons: list[str] = []
    if profile.keywords:
        hits = [(typed, set(lexemes) <= tender.title_lexemes) for typed, lexemes
                in profile.keywords if lexemes and set(lexemes) <= tender.lexemes]
        if not hits:
            return None
        share = 25 / len(hits)
        in_title = [typed for typed, title in hits if title]
        parts.append(ScorePart("keywords", sum(share if title else share / 2 for _t, title in hits),
                               25, "dans le titre" if len(in_title) == len(hits)
                               else "dans le descriptif" if not in_title
                               else "dans le titre et le descriptif"))
        reasons.append("mot-clé " + ", ".join(f"« {typed} »" for typed, _title in hits))
    if profile.departments:
        shared = [d for d in profile.departments if d in tender.departments]
        if not shared:
            return None
        reasons.append(", ".join(department_name(d) for d in shared))
    units = units if units is not None else tender.units()
    may_answer = eligibility(profile.structure_id)
    matched_lots: list[LotFeatures] = []
    best: tuple[list[ScorePart], list[str]] | None = None
    best_rank: tuple[float, bool] = (-1.0, False)
    for unit in units:
        result = _unit_parts(profile, unit, cpv_labels, now, may_answer)
        if result is None:
            continue
        matched_lots.append(unit)
        rank = (_share(result[0]), bool(unit.reserved))
        if rank > best_rank:
            best, best_rank = result, rank
    if best is None:
        return None
    parts = [*best[0][:2], *parts, *best[0][2:]] if profile.cpv_prefixes else [*parts, *best[0]]
    reasons = best[1][:1] + reasons + best[1][1:]
    if tender.notice_kind == "renewal" and tender.renewal_expected_on:
        reasons.append(f"renouvellement attendu vers le {long_date(tender.renewal_expected_on)}")
    score = round(100 * _share(parts), 1) if parts else 50.0
    return Match(profile_id=profile.id, structure_id=profile.structure_id, score=score,
                 reasons=[r for r in reasons if r],
                 lots=[lot.id for lot in matched_lots if lot.id], parts=parts)


@dataclass
class Alert:
    """What a structure is told about one tender: every profile and lot of it that matched,
    in one alert (one email, one feed card), explained by its best match."""

    structure_id: int
    profile_ids: list[int]
    lots: list[str]
    score: float
    reasons: list[str]
    parts: list[ScorePart]


def alerts_of(matches: Iterable[Match], profile_names: Mapping[int, str] | None = None
              ) -> list[Alert]:
    """The matches of one tender gathered per structure, best match first."""
    by_structure: dict[int, list[Match]] = {}
    for found in sorted(matches, key=lambda m: (-m.score, m.profile_id)):
        by_structure.setdefault(found.structure_id, []).append(found)
    alerts = []
    names = profile_names or {}
    for structure_id, found in by_structure.items():
        best = found[0]
        reasons = list(best.reasons)
        if len(found) > 1 and names:
            reasons.append("profils : " + ", ".join(
                f"« {names[m.profile_id]} »" for m in found if m.profile_id in names))
        lots = sorted({lot for m in found for lot in m.lots}, key=_lot_order)
        alerts.append(Alert(structure_id, [m.profile_id for m in found], lots, best.score,
                            reasons, best.parts))
    return alerts


def _lot_order(lot_id: str) -> tuple:
    return (0, int(lot_id), "") if lot_id.isdigit() else (1, 0, lot_id)

