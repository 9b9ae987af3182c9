"""Notices into veille's database: normalise, merge into tenders, quarantine what fails.

A file or a notice that cannot be read goes to the quarantine table with its reason and its
whole raw text, and the batch goes on: a bad record of a page costs only itself (the others are
stored), and each notice has its own savepoint, so one bad notice never undoes the others. The
parts of records left unread (an unknown BOAMP `donnees` shape) are counted in the report and
logged, never silently read as empty.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable
from zoneinfo import ZoneInfo

from tqdm import tqdm

from centrale.db import Database
from centrale.metrics import NOTICES_INGESTED, NOTICES_QUARANTINED, notice_source
from centrale.settings import Settings

from .domain.notices import MAX_INPUT_BYTES, Notice, NoticeError
from .domain.notices.normalizer import read
from .store.new_tenders import insert_new, split_new
from .store.quarantine import quarantine
from .store.tenders import NOT_LOOKED_UP, ingest_notice, seen_notices

PARIS = ZoneInfo("Europe/Paris")
log = logging.getLogger(__name__)


def perimeter_of(settings: Settings) -> set[str]:
    """The départements whose tenders are alerted (``CENTRALE_VEILLE_DEPARTMENTS``)."""
    raw = settings.option("VEILLE_DEPARTMENTS", "42,43")
    return {code.strip().upper().zfill(2) for code in raw.split(",") if code.strip()}


def notice_record(notice: Notice) -> dict[str, Any]:
    record = notice.to_dict()
    if notice.contract_end:
        record["contract_end"] = notice.contract_end.isoformat()
    return record


@dataclass
class IngestReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notices: int = 0
    quarantined: int = 0
    failed_files: dict[str, str] = field(default_factory=dict)
    failed_records: dict[str, str] = field(default_factory=dict)  # "origin : record" -> reason
    unread: list[str] = field(default_factory=list)  # "origin : record : what was left unread"
    announced: int = 0  # what the sources said they hold (a BOAMP page's total_count...)

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def summary(self, dry_run: bool) -> str:
        if dry_run:
            head = f"simulation : {self.notices} avis lus, rien n'est écrit"
        else:
            head = (f"{self.notices} avis : {self.created} nouveaux, {self.updated} mis à jour, "
                    f"{self.unchanged} inchangés, {self.quarantined} en quarantaine")
        lines = ([head] + [f"  échec {name} : {reason}" for name, reason in self.failed_files.items()]
                 + [f"  enregistrement en quarantaine {name} : {reason}"
                    for name, reason in self.failed_records.items()]
                 + [f"  non lu {what}" for what in self.unread])
        return "\n".join(lines)


class Ingester:
    def __init__(self, db: Database | None, settings: Settings, today: date | None = None):
        self.db = db
        self.perimeter = perimeter_of(settings)
        self.today = today or datetime.now(PARIS).date()

    def store(self, records: Iterable[dict[str, Any]], report: IngestReport, origin: str) -> None:
        """One transaction for the batch: its new tenders stored together, then the other
        notices one by one, each in a savepoint so that a bad notice is quarantined and rolls
        back only itself; the batch pays for one commit."""
        records = list(records)
        report.notices += len(records)
        if self.db is None or not records:
            return
        quarantined: Counter = Counter()
        with self.db.transaction() as conn, conn.pipeline():
            # Pipelined: only the statements whose answer is needed wait for the server.
            stored = seen_notices(conn, records)
            fresh, others = split_new(conn, records, stored)
            refused = insert_new(conn, fresh, self.perimeter, self.today)
            report.created += len(fresh) - len(refused)
            handled: set = set()
            for record in refused + others:
                key = (record.get("source"), record.get("source_id"))
                # A savepoint by hand: psycopg's nested transaction() would wait for the server
                # on entering and on leaving it, which the pipeline is there to avoid.
                conn.execute("SAVEPOINT notice")
                try:
                    # A notice met twice in one batch is looked up again the second time.
                    seen = stored.pop(key, None) if key not in handled else NOT_LOOKED_UP
                    _id, outcome = ingest_notice(conn, record, self.perimeter, self.today, seen)
                    conn.execute("RELEASE SAVEPOINT notice")
                    report.add(outcome)
                except (KeyError, TypeError, ValueError, AttributeError) as exc:
                    conn.execute("ROLLBACK TO SAVEPOINT notice")
                    quarantine(conn, f"{origin}#{record.get('source_id', '?')}",
                               f"avis inexploitable : {exc}", json.dumps(record, ensure_ascii=False))
                    report.quarantined += 1
                    quarantined[notice_source(record.get("source"))] += 1
                handled.add(key)
        # Counted once committed: a batch that rolled back stored nothing.
        stored_by_source = Counter(notice_source(record.get("source")) for record in records)
        for source, count in stored_by_source.items():
            NOTICES_INGESTED.labels(source).inc(count - quarantined[source])
        for source, count in quarantined.items():
            NOTICES_QUARANTINED.labels(source).inc(count)

    def quarantine(self, origin: str, reason: str, content: bytes | str = b"", whole: bool = True) -> None:
        if self.db is not None:
            with self.db.transaction() as conn:
                quarantine(conn, origin, reason, content, whole=whole)

    def ingest_bytes(self, data: bytes, origin: str, report: IngestReport) -> None:
        """Read `data` record by record: the records that fail are quarantined whole, one by
        one, and every other record is stored."""
        try:
            reading = read(data, origin)
        except NoticeError as exc:
            report.failed_files[origin] = str(exc)
            report.quarantined += 1
            # A file refused for its size keeps an excerpt: the rest is no notice anyone reads.
            self.quarantine(origin, str(exc), data, whole=len(data) <= MAX_INPUT_BYTES)
            NOTICES_QUARANTINED.labels(notice_source(origin)).inc()
            return
        report.announced += reading.announced_total or 0
        for failure in reading.failures:
            report.failed_records[f"{origin} : {failure.record}"] = failure.reason
            report.quarantined += 1
            self.quarantine(f"{origin}#{failure.position}", f"{failure.record} : {failure.reason}", failure.raw)
            NOTICES_QUARANTINED.labels(notice_source(origin)).inc()
        for unread in reading.unread:
            report.unread.append(f"{origin} : {unread.record} : {unread.what}")
            log.warning("partie d'avis non lue", extra={"origin": origin, "record": unread.record,
                                                         "unread": unread.what})
        self.store((notice_record(n) for n in reading.notices), report, origin)


def notice_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files named, and the files directly inside the folders named, sorted by name."""
    files: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            files.extend(sorted(p for p in path.iterdir() if p.is_file()
                                and p.suffix.lower() in (".json", ".xml")))
        else:
            files.append(path)
    return files


def ingest_files(db: Database | None, settings: Settings, paths: Iterable[str | Path],
                 dry_run: bool = False, progress: bool = True,
                 today: date | None = None) -> IngestReport:
    """``today`` (Paris, by default the real one) dates the expected renewals."""
    ingester = Ingester(None if dry_run else db, settings, today=today)
    report = IngestReport()
    for path in tqdm(notice_files(paths), desc="avis", unit="fichier", disable=not progress):
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.failed_files[str(path)] = f"lecture impossible : {exc.strerror}"
            continue
        ingester.ingest_bytes(data, str(path), report)
    return report
