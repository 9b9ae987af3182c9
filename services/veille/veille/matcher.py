"""Matching between the database and the pure index: keeps a ProfileIndex in step with the
alert_profiles table, builds a tender's features, records new matches and their events."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import psycopg

from centrale.events import Event
from centrale.outbox import record_events

from .domain.matching import LotFeatures, Match, Profile, ProfileIndex, TenderFeatures
from .domain.procedures import notice_kind
from .store import cpv as cpv_store
from .store import matches as match_store
from .store.profiles import profiles_changed_since, profiles_revision

# Profiles committed by slow transactions can carry an updated_at slightly older than our last
# look: every refresh reads again this much of the past (re-adding a profile is harmless).
REFRESH_OVERLAP = timedelta(minutes=5)


def profile_from_row(row: dict[str, Any]) -> Profile:
    return Profile(
        id=row["id"], structure_id=row["structure_id"], name=row["name"],
        cpv_prefixes=tuple(row["cpv_prefixes"]),
        keywords=tuple((typed, tuple(lexemes)) for typed, lexemes
                       in zip(row["keywords"], row["keyword_lexemes"])),
        departments=tuple(row["departments"]),
        min_value=float(row["min_value"]) if row["min_value"] is not None else None,
        max_value=float(row["max_value"]) if row["max_value"] is not None else None,
        reserved_only=row["reserved_only"], notice_kinds=tuple(row["notice_kinds"]),
    )


def tender_features(conn: psycopg.Connection, tender_id: int) -> tuple[TenderFeatures, dict] | None:
    """The tender as matching sees it, and its row; None outside the territory."""
    row = conn.execute(
        "SELECT t.id, t.title, t.deadline, t.cpv_codes, t.departments, t.estimated_amount,"
        " t.reserved, t.notice_type, t.in_territory, t.renewal_expected_on,"
        " tsvector_to_array(t.search) AS lexemes, now() AS now,"
        " (SELECT revision FROM alert_profiles_revision) AS profiles_revision,"
        " coalesce((SELECT json_agg(json_build_object('lot_id', l.lot_id, 'title', l.title,"
        "  'cpv_main', l.cpv_main, 'reserved', l.reserved, 'estimated_amount', l.estimated_amount)"
        "  ORDER BY l.lot_id) FROM tender_lots l WHERE l.tender_id = t.id), '[]') AS lots"
        " FROM tenders t WHERE t.id = %s", (tender_id,)).fetchone()
    if row is None or not row["in_territory"]:
        return None
    lots = row["lots"]
    features = TenderFeatures(
        id=row["id"], cpv_codes=tuple(row["cpv_codes"]), lexemes=frozenset(row["lexemes"]),
        departments=tuple(row["departments"]),
        value=float(row["estimated_amount"]) if row["estimated_amount"] is not None else None,
        reserved=tuple(row["reserved"]),
        notice_kind=notice_kind(row["notice_type"], row["renewal_expected_on"]),
        renewal_expected_on=row["renewal_expected_on"],
        lots=tuple(LotFeatures(
            id=lot["lot_id"], title=lot["title"],
            cpv_codes=(lot["cpv_main"],) if lot["cpv_main"] else (),
            reserved=tuple(lot["reserved"]),
            value=float(lot["estimated_amount"]) if lot["estimated_amount"] is not None else None)
            for lot in lots),
    )
    return features, row


class Matcher:
    def __init__(self) -> None:
        self.index = ProfileIndex()
        self._mark = None
        self._revision: int | None = None
        self._cpv_labels: dict[str, str | None] = {}

    def refresh(self, conn: psycopg.Connection, seen: tuple | None = None) -> None:
        """Bring the index up to date; ``seen`` is (now, revision) when already read."""
        now, revision = seen or profiles_revision(conn)
        if revision == self._revision:
            return
        since = None if self._mark is None else self._mark - REFRESH_OVERLAP
        rows, deleted = profiles_changed_since(conn, since)
        self._mark, self._revision = now, revision
        for row in rows:
            self.index.add(profile_from_row(row))
        for profile_id in deleted:
            self.index.remove(profile_id)

    def _labels(self, conn: psycopg.Connection, codes: set[str]) -> dict[str, str]:
        """French CPV labels, kept once read: the code list changes only when it is reloaded,
        and a label only words a reason."""
        missing = codes - self._cpv_labels.keys()
        if missing:
            found = cpv_store.labels_for(conn, missing)
            self._cpv_labels.update({code: found.get(code) for code in missing})
        return {code: self._cpv_labels[code] for code in codes if self._cpv_labels[code]}

    def match_tender(self, conn: psycopg.Connection, tender_id: int) -> list[Match]:
        """Record the new matches of a tender and announce each with ``tender.matched``."""
        found = tender_features(conn, tender_id)
        if found is None:
            return []
        features, row = found
        self.refresh(conn, (row["now"], row["profiles_revision"]))
        if not self.index.candidates(features):
            return []
        codes = {*features.cpv_codes, *(c for lot in features.lots for c in lot.cpv_codes)}
        found_matches = self.index.match(features, self._labels(conn, codes))
        new_profiles = match_store.record_matches(conn, tender_id, found_matches)
        recorded = [m for m in found_matches if m.profile_id in new_profiles]
        record_events(conn, [Event(
            type="tender.matched", subject=f"tender:{tender_id}", producer="veille",
            data={"tender_id": tender_id, "structure_id": match.structure_id,
                  "profile_id": match.profile_id, "title": row["title"],
                  "deadline": row["deadline"].isoformat() if row["deadline"] else None,
                  "score": match.score, "reasons": match.reasons, "lots": match.lots,
                  "expected_renewal": features.notice_kind == "renewal"})
            for match in recorded])
        return recorded


def matching_handlers(matcher: Matcher | None = None):
    from centrale.consumer import Handler

    matcher = matcher or Matcher()

    def on_tender(conn, event) -> None:
        recorded = matcher.match_tender(conn, event.data["tender_id"])
        moved = (event.data.get("changes") or {}).get("deadline")
        if event.type == "tender.updated" and moved is not None:
            announce_deadline_moved(conn, event.data, moved,
                                    already_told={m.structure_id for m in recorded})

    return [Handler("matching", ("tender.published", "tender.updated"), on_tender)]


def announce_deadline_moved(conn: psycopg.Connection, data: dict[str, Any], moved: dict,
                            already_told: set[int]) -> int:
    """Tell each structure alerted about the tender that its deadline moved
    (``tender.deadline_moved``), except those whose first alert, just sent, carries the new
    one; a structure that dismissed the tender hears nothing. How many were told."""
    tender_id = data["tender_id"]
    title = data.get("title") or conn.execute(
        "SELECT title FROM tenders WHERE id = %s", (tender_id,)).fetchone()["title"]
    structures = [s for s in match_store.alerted_structures(conn, tender_id)
                  if s not in already_told]
    record_events(conn, [Event(
        type="tender.deadline_moved", subject=f"tender:{tender_id}", producer="veille",
        data={"tender_id": tender_id, "structure_id": structure_id, "title": title,
              "deadline_before": moved.get("before"), "deadline": moved.get("after")})
        for structure_id in structures])
    return len(structures)
