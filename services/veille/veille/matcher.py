"""Matching between the database and the pure index: keeps a ProfileIndex in step with the
alert_profiles table, builds a tender's features, records matches and alerts, and announces
each new alert — one per (tender, structure) — with ``tender.matched``.

Two ways in: a tender published or changed meets every profile (the bus consumer), and a
profile created or edited meets every open tender of the territory (the API, at once)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import psycopg

from centrale.events import Event
from centrale.outbox import record_events

from .domain.matching import (Alert, LotFeatures, Match, Profile, ProfileIndex,
                              TenderFeatures, alerts_of, match_profile)
from .domain.procedures import notice_kind
from .store import cpv as cpv_store
from .store import matches as match_store
from .store import structures as structure_store
from .store.profiles import profiles_changed_since, profiles_revision

# Profiles committed by slow transactions can carry an updated_at slightly older than our last
# look: every refresh reads again this much of the past (re-adding a profile is harmless).
REFRESH_OVERLAP = timedelta(minutes=5)
# A new profile can meet hundreds of open tenders at once: its best ones are announced (an
# email each, by the structure's preferences); all are recorded and listed in the portail.
BACKFILL_ANNOUNCED = 30
SERVICE = "veille"


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
        clauses=tuple(row.get("clauses") or ()),
    )


def _moment(value: Any) -> datetime | None:
    if value is None or isinstance(value, datetime):
        return value
    return datetime.fromisoformat(value)


def _clauses(row: dict[str, Any]) -> tuple[str, ...]:
    return tuple(name for name, on in (("social", row["social_clause"] or row["insertion_clause"]),
                                       ("insertion", row["insertion_clause"])) if on)


def features_of(row: dict[str, Any], now: datetime) -> TenderFeatures | None:
    """The tender as matching sees it at ``now``: only its lots still open count; None when
    nothing of it can be answered (outside the territory, every lot closed or decided) —
    except an expected renewal, which is matched after its award by nature."""
    if not row["in_territory"]:
        return None
    kind = notice_kind(row["notice_type"], row["renewal_expected_on"])
    renewal = kind == "renewal"
    closes = _moment(row["closes_at"])
    if not renewal and (row["result"] is not None or (closes is not None and closes <= now)):
        return None
    lots = []
    for lot in row["lots"]:
        deadline = _moment(lot["deadline"])
        if not renewal and (lot["result"] is not None or (deadline is not None and deadline <= now)):
            continue
        lots.append(LotFeatures(
            id=lot["lot_id"], title=lot["title"],
            cpv_codes=(lot["cpv_main"],) if lot["cpv_main"] else (),
            reserved=tuple(lot["reserved"]), deadline=deadline, clauses=_clauses(lot),
            value=float(lot["estimated_amount"]) if lot["estimated_amount"] is not None else None))
    if row["lots"] and not lots:
        return None
    return TenderFeatures(
        id=row["id"], cpv_codes=tuple(row["cpv_codes"]), lexemes=frozenset(row["lexemes"]),
        title_lexemes=frozenset(row["title_lexemes"]), departments=tuple(row["departments"]),
        value=float(row["estimated_amount"]) if row["estimated_amount"] is not None else None,
        reserved=tuple(row["reserved"]), notice_kind=kind,
        renewal_expected_on=row["renewal_expected_on"], lots=tuple(lots),
        deadline=None if renewal else closes, clauses=_clauses(row))


def _has_reserved(features: TenderFeatures) -> bool:
    return any(unit.reserved for unit in features.units())


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

    def _codes(self, features: TenderFeatures) -> set[str]:
        return {*features.cpv_codes, *(c for lot in features.lots for c in lot.cpv_codes)}

    def match_tender(self, conn: psycopg.Connection, tender_id: int) -> list[Alert]:
        """Record the matches of a tender as it is now; the alerts announced (new ones)."""
        row = match_store.tender_for_matching(conn, tender_id)
        if row is None:
            return []
        features = features_of(row, row["now"])
        if features is None:
            return []
        self.refresh(conn, (row["now"], row["profiles_revision"]))
        candidates = self.index.candidates(features)
        if not candidates:
            return []
        reservations = (structure_store.reservations_of(
            conn, {self.index.profiles[p].structure_id for p in candidates})
            if _has_reserved(features) else {})
        found = self.index.match(features, self._labels(conn, self._codes(features)),
                                 row["now"], reservations.get)
        return record_and_announce(conn, [(row, match) for match in found], {
            m.profile_id: self.index.profiles[m.profile_id].name for m in found})

    def match_new_profile(self, conn: psycopg.Connection, profile_row: dict[str, Any]) -> int:
        """Match a profile just created or edited against the territory's open tenders, at
        once: the new alerts are announced as any other; a tender its structure was already
        alerted about only gathers this profile. How many open tenders it matches."""
        profile = profile_from_row(profile_row)
        now = conn.execute("SELECT now() AS now").fetchone()["now"]
        reservations = structure_store.reservations_of(conn, {profile.structure_id})
        candidates = [(row, features) for row in
                      match_store.open_tenders_for_profile(conn, profile_row)
                      if (features := features_of(row, now)) is not None]
        labels = self._labels(conn, {c for _row, f in candidates for c in self._codes(f)})
        found = [(row, match) for row, features in candidates
                 if (match := match_profile(profile, features, labels, now=now,
                                            eligibility=reservations.get)) is not None]
        found.sort(key=lambda pair: (-pair[1].score, pair[0]["id"]))
        record_and_announce(conn, found, {profile.id: profile.name},
                            announce_at_most=BACKFILL_ANNOUNCED)
        return len(found)


def record_and_announce(conn: psycopg.Connection, found: list[tuple[dict[str, Any], Match]],
                        profile_names: dict[int, str],
                        announce_at_most: int | None = None) -> list[Alert]:
    """Record matches and alerts, (tender row, match) pairs of any tenders, in a few
    statements; announce, and return, the alerts of the structures told about a tender for
    the first time (the others only gather profiles and lots) — the first
    ``announce_at_most`` of them when given, the others being listed without a message."""
    new = match_store.record_matches(conn, [(row["id"], match) for row, match in found])
    per_tender: dict[int, tuple[dict[str, Any], list[Match]]] = {}
    for row, match in found:
        if (row["id"], match.profile_id) in new:
            per_tender.setdefault(row["id"], (row, []))[1].append(match)
    alerts = [(row, alert) for row, matches in per_tender.values()
              for alert in alerts_of(matches, profile_names)]
    first_time = match_store.record_alerts(conn, [_alert_row(row["id"], a) for row, a in alerts])
    announced = [(row, a) for row, a in alerts
                 if (row["id"], a.structure_id) in first_time][:announce_at_most]
    record_events(conn, [matched_event(row, alert) for row, alert in announced])
    return [alert for _row, alert in announced]


def _alert_row(tender_id: int, alert: Alert) -> dict[str, Any]:
    return {"tender_id": tender_id, "structure_id": alert.structure_id,
            "profile_ids": alert.profile_ids, "lots": alert.lots, "score": alert.score,
            "reasons": alert.reasons, "score_parts": [p.to_dict() for p in alert.parts]}


def matched_event(row: dict[str, Any], alert: Alert) -> Event:
    """``tender.matched``: what a structure needs to decide, in the email itself: the buyer,
    the deadline, the value, why it matched, and where the notice and its documents are."""
    closes = _moment(row["closes_at"])
    value = ({"amount": float(row["estimated_amount"]), "currency": row["currency"] or "EUR"}
             if row["estimated_amount"] is not None else None)
    return Event(type="tender.matched", subject=f"tender:{row['id']}", producer=SERVICE, data={
        "tender_id": row["id"], "structure_id": alert.structure_id,
        "profile_id": alert.profile_ids[0], "profile_ids": alert.profile_ids,
        "title": row["title"], "deadline": closes.isoformat() if closes else None,
        "buyer": row["buyer_name"], "estimated_value": value, "url": row["url"],
        "documents_url": row["documents_url"], "score": alert.score, "reasons": alert.reasons,
        "score_parts": [p.to_dict() for p in alert.parts], "lots": alert.lots,
        "expected_renewal": row["renewal_expected_on"] is not None})


def matching_handlers(matcher: Matcher | None = None):
    from centrale.consumer import Handler

    matcher = matcher or Matcher()

    def on_tender(conn, event) -> None:
        matcher.match_tender(conn, event.data["tender_id"])
        moved = (event.data.get("changes") or {}).get("deadline")
        if event.type == "tender.updated" and moved is not None:
            announce_deadline_moved(conn, event.data, moved)

    def on_structure(conn, event) -> None:
        structure_store.keep_structure(conn, event.data)

    return [Handler("matching", ("tender.published", "tender.updated"), on_tender),
            Handler("structures", ("structure.registered", "structure.updated"), on_structure)]


def announce_deadline_moved(conn: psycopg.Connection, data: dict[str, Any], moved: dict) -> int:
    """Tell each structure alerted about the tender that its deadline moved
    (``tender.deadline_moved``), except those alerted after the move, whose alert carries the
    new one already; a structure that dismissed the tender hears nothing. How many were
    told."""
    tender_id = data["tender_id"]
    title = data.get("title") or conn.execute(
        "SELECT title FROM tenders WHERE id = %s", (tender_id,)).fetchone()["title"]
    structures = match_store.alerted_structures(conn, tender_id, before_version=data["version"])
    record_events(conn, [Event(
        type="tender.deadline_moved", subject=f"tender:{tender_id}", producer=SERVICE,
        data={"tender_id": tender_id, "structure_id": structure_id, "title": title,
              "deadline_before": moved.get("before"), "deadline": moved.get("after")})
        for structure_id in structures])
    return len(structures)
