"""Refusals: what a service's rules refuse, said in French, raised by its domain or its use
cases and turned into HTTP statuses at the API's edge only (``centrale.web``: 404, 409, 422,
as problem+json with the field messages). Pure: a domain may raise them.
"""

from __future__ import annotations


class Refusal(Exception):
    """A refused action; ``message`` is shown to people, ``messages`` are per field
    (``{"json": {"attendance": {0: {"hours": [...]}}}}``)."""

    def __init__(self, message: str, messages: dict | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.messages = messages


class NotFound(Refusal):
    """What the action is about does not exist (or is not the asker's to know of)."""


class Refused(Refusal):
    """The action conflicts with the state of things (a full session, a closed one…)."""


class Invalid(Refusal):
    """What was sent cannot be used, field by field."""
