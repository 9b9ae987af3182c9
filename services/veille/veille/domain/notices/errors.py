"""The one error the normaliser raises."""

from __future__ import annotations


class NoticeError(ValueError):
    """The input cannot be read as tender notices; `reason` says why, for a human.

    Reasons are written in French because they end up in front of advisors
    (import reports, CLI output).
    """

    def __init__(self, reason: str, *, source_name: str | None = None):
        super().__init__(reason)
        self.reason = reason
        self.source_name = source_name
