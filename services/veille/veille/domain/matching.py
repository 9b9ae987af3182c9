"""Alert profiles matched against tenders, through indexes rather than one test per profile.

A profile says what a structure wants: CPV prefixes (``9091`` covers ``90911200``), French
keywords (each one a group of stemmed, accent-folded lexemes, computed by PostgreSQL's
``fr_unaccent`` text search configuration, that must all appear in the tender), départements,
a value range, reserved lots only, and the kinds of notice. Criteria of different kinds must
all hold; within a kind, one is enough.

CPV, reservation and value are judged per lot (a tender without lots is one "lot"), so that
"lot 2 is reserved for insertion structures" can be the reason of a match. The index finds the
candidates of a tender from its CPV prefixes, its lexemes and its départements; only those are
verified. Every match carries a score (0–100: the share of the profile's criteria it meets and
how specific the CPV was) and French reasons.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Iterable, Mapping

from centrale.cpv import prefixes_of
from centrale.territory import department_name

RESERVATION_LABELS = {
    "sheltered_workshop": "réservé aux ESAT et entreprises adaptées",
    "insertion": "réservé aux structures d'insertion",
    "ess": "réservé aux entreprises de l'ESS",
    "public_service_mission": "réservé aux organisations de service public",
}
NOTICE_KINDS = ("contract", "prior_information", "renewal")
DEFAULT_NOTICE_KINDS = NOTICE_KINDS


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


@dataclass(frozen=True)
class LotFeatures:
    id: str
    title: str | None = None
    cpv_codes: tuple[str, ...] = ()
    reserved: tuple[str, ...] = ()
    value: float | None = None


@dataclass(frozen=True)
class TenderFeatures:
    id: int
    cpv_codes: tuple[str, ...] = ()
    lexemes: frozenset[str] = frozenset()
    departments: tuple[str, ...] = ()
    value: float | None = None
    reserved: tuple[str, ...] = ()
    notice_kind: str = "contract"
    lots: tuple[LotFeatures, ...] = ()
    renewal_expected_on: date | None = None

    def units(self) -> tuple[LotFeatures, ...]:
        """The lots, each with the tender's CPV, reservation or value where it has none."""
        if not self.lots:
            return (LotFeatures(id="", cpv_codes=self.cpv_codes, reserved=self.reserved,
                                value=self.value),)
        single = len(self.lots) == 1
        return tuple(
            LotFeatures(id=lot.id, title=lot.title, cpv_codes=lot.cpv_codes or self.cpv_codes,
                        reserved=lot.reserved,
                        value=lot.value if lot.value is not None else
                        (self.value if single else None))
            for lot in self.lots
        )


@dataclass
class Match:
    profile_id: int
    structure_id: int
    score: float
    reasons: list[str]
    lots: list[str] = field(default_factory=list)


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

    def match(self, tender: TenderFeatures,
              cpv_labels: Mapping[str, str] | None = None) -> list[Match]:
        units = tender.units()
        labels = cpv_labels or {}
        matches = []
        for profile_id in self.candidates(tender):
            found = match_profile(self.profiles[profile_id], tender, labels, units)
            if found is not None:
                matches.append(found)
        matches.sort(key=lambda m: (-m.score, m.profile_id))
        return matches


def _lot_name(lot: LotFeatures) -> str:
    return f"lot {lot.id}" if lot.id else "le marché"


def _unit_reasons(profile: Profile, unit: LotFeatures,
                  cpv_labels: Mapping[str, str]) -> tuple[float, float, list[str]] | None:
    """(points, possible points, reasons) when this lot fits the profile, else None."""
    points = possible = 0.0
    reasons: list[str] = []
    if profile.cpv_prefixes:
        best = max(((code, prefix) for code in unit.cpv_codes for prefix in profile.cpv_prefixes
                    if code.startswith(prefix)), key=lambda pair: len(pair[1]), default=None)
        if best is None:
            return None
        code, prefix = best
        possible += 40
        points += 20 + 20 * (len(prefix) - 2) / 6
        label = cpv_labels.get(code)
        reason = (f"CPV {code}" + (f" ({label})" if label else "")
                  + (f" sous votre {prefix}" if prefix != code else " : votre code"))
        # A reserved lot is named by its reservation below; otherwise name the lot here.
        reasons.append(f"{_lot_name(unit)} : {reason}" if unit.id and not unit.reserved
                       else reason)
    if profile.reserved_only:
        if not unit.reserved:
            return None
        possible += 15
        points += 15
    if profile.min_value is not None or profile.max_value is not None:
        possible += 5
        if unit.value is not None:
            if profile.min_value is not None and unit.value < profile.min_value:
                return None
            if profile.max_value is not None and unit.value > profile.max_value:
                return None
            points += 5
            reasons.append(f"montant estimé {_euros(unit.value)} dans votre fourchette")
    if unit.reserved:
        labels = " ; ".join(RESERVATION_LABELS.get(r, r) for r in unit.reserved)
        reasons.append(f"{_lot_name(unit)} {labels}")
    return points, possible, reasons


def match_profile(profile: Profile, tender: TenderFeatures,
                  cpv_labels: Mapping[str, str] | None = None,
                  units: tuple[LotFeatures, ...] | None = None) -> Match | None:
    """The match of one profile with one tender, or None; see the module's docstring."""
    cpv_labels = cpv_labels or {}
    if tender.notice_kind not in profile.notice_kinds:
        return None
    points = possible = 0.0
    reasons: list[str] = []
    if profile.keywords:
        hits = [typed for typed, lexemes in profile.keywords
                if lexemes and set(lexemes) <= tender.lexemes]
        if not hits:
            return None
        possible += 25
        points += 25
        reasons.append("mot-clé " + ", ".join(f"« {typed} »" for typed in hits))
    if profile.departments:
        shared = [d for d in profile.departments if d in tender.departments]
        if not shared:
            return None
        possible += 15
        points += 15
        reasons.append(", ".join(department_name(d) for d in shared))
    matched_lots: list[LotFeatures] = []
    best_unit: tuple[float, float, list[str]] | None = None
    best_rank: tuple[float, bool] = (-1.0, False)
    for unit in units if units is not None else tender.units():
        result = _unit_reasons(profile, unit, cpv_labels)
        if result is None:
            continue
        matched_lots.append(unit)
        # The lot that explains the match best: highest share of points, a reserved one on ties.
        rank = (result[0] / result[1] if result[1] else 1.0, bool(unit.reserved))
        if rank > best_rank:
            best_unit, best_rank = result, rank
    if best_unit is None:
        return None
    points += best_unit[0]
    possible += best_unit[1]
    reasons = best_unit[2][:1] + reasons + best_unit[2][1:]
    if tender.notice_kind == "renewal" and tender.renewal_expected_on:
        reasons.append("renouvellement attendu vers le "
                       + tender.renewal_expected_on.strftime("%d/%m/%Y"))
    score = round(100 * points / possible, 1) if possible else 50.0
    return Match(profile_id=profile.id, structure_id=profile.structure_id, score=score,
                 reasons=[r for r in reasons if r],
                 lots=[lot.id for lot in matched_lots if lot.id])


def _euros(value: float) -> str:
    return f"{value:,.0f} €".replace(",", "\u202f")
