"""An aiosmtpd handler that spools each message as received, as a real MTA's queue does.

aiosmtpd's ``Mailbox`` handler parses every message with the email package before writing it
to a Maildir: in a single-process Python server that parse, not the sender under measure,
became the bound. This one writes the raw bytes, one file a message; the benchmark reads the
Message-IDs back after the clock has stopped.

    python -m aiosmtpd -n -l 127.0.0.1:PORT -c bench.smtp_spool.RawSpool DIRECTORY
"""

from __future__ import annotations

import itertools
from argparse import ArgumentParser
from pathlib import Path


class RawSpool:
    def __init__(self, directory: str) -> None:
        self.directory = Path(directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self._numbers = itertools.count(1)

    @classmethod
    def from_cli(cls, parser: ArgumentParser, *args: str) -> "RawSpool":
        if len(args) != 1:
            parser.error("RawSpool takes the spool directory")
        return cls(args[0])

    async def handle_DATA(self, server, session, envelope) -> str:
        path = self.directory / f"{next(self._numbers):08d}.eml"
        path.write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"
