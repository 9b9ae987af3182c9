"""Files of notices into veille's database: normalise each file, upsert each notice.

A file that cannot be read is reported and skipped; the others go on. Each notice is its own
transaction, so one bad notice never undoes the good ones.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from tqdm import tqdm

from centrale.db import Database

from . import store
from .domain.notices import NoticeError, normalize


@dataclass
class IngestReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    notices: int = 0
    failed_files: dict[str, str] = field(default_factory=dict)

    def summary(self, dry_run: bool) -> str:
        if dry_run:
            head = f"simulation : {self.notices} avis lus, rien n'est écrit"
        else:
            head = (f"{self.notices} avis : {self.created} nouveaux, {self.updated} mis à jour, "
                    f"{self.unchanged} inchangés")
        lines = [head] + [f"  échec {name} : {reason}" for name, reason in self.failed_files.items()]
        return "\n".join(lines)


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


def ingest_files(db: Database | None, paths: Iterable[str | Path], dry_run: bool = False,
                 progress: bool = True) -> IngestReport:
    report = IngestReport()
    files = notice_files(paths)
    for path in tqdm(files, desc="avis", unit="fichier", disable=not progress):
        try:
            notices = normalize(path.read_bytes(), path.name)
        except (NoticeError, OSError) as exc:
            report.failed_files[str(path)] = str(exc)
            continue
        for notice in notices:
            report.notices += 1
            if dry_run or db is None:
                continue
            data = notice.to_dict()
            data["title"] = data.get("title") or f"Avis {data['source_id']}"
            with db.transaction() as conn:
                _id, outcome = store.upsert_tender(conn, data)
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report
