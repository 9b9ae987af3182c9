import re

from marshmallow import Schema, ValidationError, fields, validate

# One line, no control characters: what goes into a header or a one-line field of an email.
_ONE_LINE = re.compile(r"^[^\x00-\x1f\x7f]*$")


def one_line(value: str) -> None:
    if not _ONE_LINE.match(value):
        raise ValidationError("Une seule ligne, sans caractère de contrôle.")


class EmailCheckInSchema(Schema):
    check_id = fields.UUID(required=True)  # the portail's: the same check is mailed once
    email = fields.Email(required=True, validate=validate.Length(max=254))
    name = fields.String(load_default=None, allow_none=True,
                         validate=[validate.Length(max=200), one_line])
    purpose = fields.String(required=True, validate=validate.OneOf(["contact", "signup"]))
    link = fields.Url(required=True, schemes={"http", "https"}, require_tld=False,
                      validate=validate.Length(max=2000))
    expires_at = fields.AwareDateTime(required=True)


class DirectoryMessageInSchema(Schema):
    message_id = fields.UUID(required=True)  # the portail's: the same message is relayed once
    structure_id = fields.Integer(required=True, validate=validate.Range(min=1))
    sender_name = fields.String(required=True, validate=[validate.Length(min=2, max=200),
                                                         one_line])
    sender_email = fields.Email(required=True, validate=validate.Length(max=254))
    organisation = fields.String(load_default=None, allow_none=True,
                                 validate=[validate.Length(max=200), one_line])
    subject = fields.String(required=True, validate=[validate.Length(min=3, max=150), one_line])
    # control characters: refused for every API text field (centrale.schemas)
    body = fields.String(required=True, validate=validate.Length(min=10, max=5000))


class QueuedSchema(Schema):
    queued = fields.Integer(metadata={"description": "combien de personnes le courriel "
                                                     "attend ; 0 : déjà demandé, rien n'est "
                                                     "envoyé deux fois"})
