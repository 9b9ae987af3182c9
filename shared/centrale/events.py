"""The event envelope every service publishes and consumes.

An event is a fact that already happened. Its routing key on the topic exchange is its
``type`` (``tender.published``, ``case.stage_changed``…); ``subject`` names the thing it is
about (``tender:42``) and ``data`` carries the facts, validated by the producer.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate

EVENT_TYPE_PATTERN = r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$"


class EnvelopeSchema(Schema):
    id = fields.UUID(required=True)
    type = fields.String(required=True, validate=validate.Regexp(EVENT_TYPE_PATTERN))
    version = fields.Integer(required=True, validate=validate.Range(min=1))
    occurred_at = fields.AwareDateTime(required=True, format="iso")
    producer = fields.String(required=True, validate=validate.Length(min=1, max=64))
    subject = fields.String(required=True, validate=validate.Length(min=1, max=200))
    data = fields.Dict(keys=fields.String(), required=True)


_SCHEMA = EnvelopeSchema()


@dataclass(frozen=True)
class Event:
    type: str
    subject: str
    data: dict[str, Any]
    producer: str
    version: int = 1
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))

    def to_message(self) -> dict[str, Any]:
        """The JSON-ready envelope (validated: a malformed event never leaves its producer)."""
        from .event_schemas import validate_event_data

        message = _SCHEMA.dump(self)
        errors = _SCHEMA.validate(message)
        if errors:
            raise ValidationError(errors)
        validate_event_data(self.type, self.data)
        return message

    @classmethod
    def from_message(cls, message: dict[str, Any]) -> "Event":
        loaded = _SCHEMA.load(message)
        return cls(**loaded)
