"""`veille normalize FILE...`: print each file's notices as JSON lines.

One JSON object per notice per line on stdout (UTF-8, accents kept), so the
output pipes into `jq` or a loader. A file that cannot be read is reported
on stderr as `veille normalize: <file>: <reason>` and the others are still
processed; so is a record that cannot be read (`<file>: <record> : <reason>`),
the file's other records still printed. A part of a record left unread (an
unknown `donnees` shape) is a warning on stderr
(`<file>: <record> : non lu : <what>`). The exit status is 1 if any file or
record failed, else 0.
"""

from __future__ import annotations

import argparse
import json
import os
import sys

from veille.domain.notices import MAX_INPUT_BYTES, NoticeError
from veille.domain.notices.normalizer import read


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="veille normalize",
        description="Normalise des avis (BOAMP JSON/XML, eForms, TED XML, DECP) en JSON, un avis par ligne.",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="fichier d'avis à normaliser")
    parser.add_argument(
        "--max-bytes", type=int, default=MAX_INPUT_BYTES,
        help=f"taille maximale d'un fichier en octets (défaut : {MAX_INPUT_BYTES})",
    )
    return parser.parse_args(argv)


def _read(path: str, max_bytes: int) -> bytes:
    # Checked before reading, so that a huge file is never loaded in memory.
    size = os.stat(path).st_size
    if size > max_bytes:
        raise NoticeError(f"fichier trop volumineux : {size} octets (limite {max_bytes})")
    with open(path, "rb") as handle:
        return handle.read(max_bytes + 1)


def main(argv: list[str]) -> int:
    """Run the command on `argv` (the arguments after `normalize`); return the exit status."""
    arguments = _arguments(argv)
    failed = False
    for path in arguments.files:
        try:
            reading = read(_read(path, arguments.max_bytes), path, max_bytes=arguments.max_bytes)
        except NoticeError as error:
            failed = True
            print(f"veille normalize: {path}: {error.reason}", file=sys.stderr)
            continue
        except OSError as error:
            failed = True
            print(f"veille normalize: {path}: lecture impossible ({error.strerror or error})", file=sys.stderr)
            continue
        for notice in reading.notices:
            print(json.dumps(notice.to_dict(), ensure_ascii=False))
        sys.stdout.flush()
        for failure in reading.failures:
            failed = True
            print(f"veille normalize: {path}: {failure.record} : {failure.reason}", file=sys.stderr)
        for unread in reading.unread:
            print(f"veille normalize: {path}: {unread.record} : non lu : {unread.what}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
