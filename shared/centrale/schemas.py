"""Marshmallow in French and within bounds: every message people see (fields' and validators'
own) translated once here, every text refused with control characters, every integer within
PostgreSQL's bigint and every date within a sane range — checked on input and said in the OpenAPI
document (``centrale.openapi`` writes the same bounds there) — and the field helpers every
service's schemas use (:func:`Amount`, :func:`Hours`).

Decisions:

- **Amounts are JSON numbers**, in and out, everywhere (never decimal strings): euros with two
  decimals, from 0 to :data:`AMOUNT_MAX` (what ``numeric(14, 2)`` holds). Every such number has
  at most 14 significant digits, so it travels exactly through an IEEE double (which keeps 15).
- **Text** may hold tabs and line breaks, never another control character (C0, DEL, C1) or a
  noncharacter: they break the XML documents (``.docx``, emails) built from it and mean nothing
  in a name or a note.
- **Dates** lie between :data:`FIRST_YEAR` and :data:`LAST_YEAR`; date-times carry an offset of
  at most 14 hours (as on Earth). Before 1911 Paris time was solar (+00:09:21), which RFC 3339
  cannot write.
"""

from __future__ import annotations

from contextvars import ContextVar
from decimal import Decimal

from marshmallow import Schema, ValidationError, fields, validate
from marshmallow.error_store import ErrorStore

from .territory import DEPARTMENT_NAMES, InvalidDepartment, department_from_text
from .text import FORBIDDEN_CLASS, TEXT_PATTERN, first_forbidden

FIRST_YEAR, LAST_YEAR = 1970, 2199
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1
AMOUNT_MAX = Decimal("999999999999.99")

# What a text may not hold is said once, in centrale.text (lone surrogates too, which
# "\ud800" in a JSON string gives and UTF-8 cannot encode).
CONTROL_CHARACTER_MESSAGE = "Caractère de contrôle interdit (position {position})."

_YEARS = "(19[7-9][0-9]|2[01][0-9]{2})"
DATE_PATTERN = f"^{_YEARS}-[0-9]{{2}}-[0-9]{{2}}$"
DATE_TIME_PATTERN = (f"^{_YEARS}-[0-9]{{2}}-[0-9]{{2}}T[0-9]{{2}}:[0-9]{{2}}:[0-9]{{2}}"
                     "(\\.[0-9]+)?(Z|[+-](0[0-9]|1[0-4]):[0-5][0-9])$")
DATE_RANGE_MESSAGE = f"Date hors de la plage acceptée ({FIRST_YEAR}–{LAST_YEAR})."
OFFSET_MESSAGE = "Décalage horaire invalide (au plus 14 heures)."
INTEGER_RANGE_MESSAGE = "Nombre entier hors des limites acceptées."

_FRENCH = {
    fields.Field: {
        "required": "Ce champ est obligatoire.",
        "null": "Ce champ ne peut pas être vide.",
        "validator_failed": "Valeur invalide.",
    },
    fields.Nested: {"type": "Un objet est attendu."},
    fields.List: {"invalid": "Une liste est attendue."},
    fields.Tuple: {"invalid": "Une liste est attendue."},
    fields.String: {"invalid": "Une chaîne de caractères est attendue.",
                    "invalid_utf8": "Texte UTF-8 invalide."},
    fields.UUID: {"invalid_uuid": "Identifiant UUID invalide."},
    fields.Number: {"invalid": "Un nombre est attendu.", "too_large": "Nombre trop grand."},
    fields.Integer: {"invalid": "Un nombre entier est attendu."},
    fields.Float: {"special": "Les valeurs spéciales (NaN, infini) sont refusées."},
    fields.Decimal: {"special": "Les valeurs spéciales (NaN, infini) sont refusées."},
    fields.Boolean: {"invalid": "Un booléen est attendu."},
    fields._TemporalField: {"invalid": "Valeur de date ou d'heure invalide.",
                            "invalid_awareness": "Valeur de date ou d'heure invalide.",
                            "format": "Format de date invalide."},
    fields.DateTime: {"invalid": "Date et heure invalides (format ISO 8601 attendu).",
                      "invalid_awareness": "Le fuseau horaire doit être précisé.",
                      "format": "Format de date invalide."},
    fields.NaiveDateTime: {"invalid_awareness": "Date et heure sans fuseau horaire attendues."},
    fields.AwareDateTime: {"invalid_awareness": "Le fuseau horaire doit être précisé."},
    fields.Time: {"invalid": "Heure invalide (HH:MM attendu).",
                  "invalid_awareness": "Heure invalide (fuseau horaire).",
                  "format": "Format d'heure invalide."},
    fields.Date: {"invalid": "Date invalide (AAAA-MM-JJ attendu).",
                  "format": "Format de date invalide."},
    fields.TimeDelta: {"invalid": "Durée invalide.", "format": "Format de durée invalide."},
    fields.Mapping: {"invalid": "Un objet est attendu."},
    fields.Url: {"invalid": "Adresse web invalide."},
    fields.Email: {"invalid": "Adresse électronique invalide."},
    fields.IP: {"invalid_ip": "Adresse IP invalide."},
    fields.IPv4: {"invalid_ip": "Adresse IPv4 invalide."},
    fields.IPv6: {"invalid_ip": "Adresse IPv6 invalide."},
    fields.IPInterface: {"invalid_ip_interface": "Interface IP invalide."},
    fields.IPv4Interface: {"invalid_ip_interface": "Interface IPv4 invalide."},
    fields.IPv6Interface: {"invalid_ip_interface": "Interface IPv6 invalide."},
    fields.Enum: {"unknown": "Valeur attendue parmi : {choices}."},
}

for field_class, messages in _FRENCH.items():
    field_class.default_error_messages = {**field_class.default_error_messages, **messages}

UNKNOWN_FIELD_MESSAGE = "Champ inconnu."

Schema._default_error_messages = {
    **Schema._default_error_messages,
    "type": "Type de données invalide.",
    "unknown": UNKNOWN_FIELD_MESSAGE,
}

# The validators' own messages ("Must be greater than or equal to 1.").
validate.Range.message_min = "Doit être {min_op} {{min}}."
validate.Range.message_max = "Doit être {max_op} {{max}}."
validate.Range.message_all = "Doit être {min_op} {{min}} et {max_op} {{max}}."
validate.Range.message_gte = "supérieur ou égal à"
validate.Range.message_gt = "strictement supérieur à"
validate.Range.message_lte = "inférieur ou égal à"
validate.Range.message_lt = "strictement inférieur à"
validate.Length.message_min = "Au moins {min} élément(s) ou caractère(s)."
validate.Length.message_max = "Au plus {max} élément(s) ou caractère(s)."
validate.Length.message_all = "Entre {min} et {max} élément(s) ou caractère(s)."
validate.Length.message_equal = "Exactement {equal} élément(s) ou caractère(s)."
validate.Equal.default_message = "Doit valoir {other}."
validate.Regexp.default_message = "Format invalide."
validate.Predicate.default_message = "Valeur invalide."
validate.NoneOf.default_message = "Valeur invalide."
validate.OneOf.default_message = "Valeur attendue parmi : {choices}."
validate.ContainsOnly.default_message = "Valeurs attendues parmi : {choices}."
validate.ContainsNoneOf.default_message = "Valeurs interdites : {values}."
validate.URL.default_message = "Adresse web invalide."
validate.Email.default_message = "Adresse électronique invalide."
validate.And.default_error_message = "Valeur invalide."

# webargs' own refusal of a body that is not JSON (the parser itself: centrale.web.parser).
INVALID_JSON_MESSAGE = "Corps de requête JSON invalide."


# The bounds below hold for what enters through an API (the request parser sets this), not for
# the event envelopes and other internal documents marshmallow also reads.
api_input: ContextVar[bool] = ContextVar("api_input", default=False)
# In a JSON body, JSON's own types: a number is no string, a boolean no number (a query string
# has only strings, which the fields convert).
json_input: ContextVar[bool] = ContextVar("json_input", default=False)


def refuse_control_characters(text: str) -> None:
    """Raise a French field error if ``text`` holds a character :data:`TEXT_PATTERN` forbids."""
    position = first_forbidden(text)
    if position is not None:
        raise ValidationError(CONTROL_CHARACTER_MESSAGE.format(position=position + 1))


# Where every string enters, so that no field of any schema can forget it.
_string_deserialize = fields.String._deserialize


def _deserialize_clean_text(self, value, attr, data, **kwargs):
    result = _string_deserialize(self, value, attr, data, **kwargs)
    if isinstance(result, str) and "\x00" in result:
        # PostgreSQL text cannot hold it, wherever the string comes from.
        raise ValidationError("Caractère nul interdit.")
    if isinstance(result, str) and api_input.get():
        refuse_control_characters(result)
    return result


fields.String._deserialize = _deserialize_clean_text

_integer_validated = fields.Integer._validated


def _validated_within_bigint(self, value):
    result = _integer_validated(self, value)
    if result is not None and api_input.get() and not BIGINT_MIN <= result <= BIGINT_MAX:
        raise ValidationError(INTEGER_RANGE_MESSAGE)
    return result


fields.Integer._validated = _validated_within_bigint

_number_deserialize = fields.Number._deserialize


def _deserialize_json_number(self, value, attr, data, **kwargs):
    if json_input.get() and (isinstance(value, str) or (
            isinstance(self, fields.Integer) and isinstance(value, float)
            and not value.is_integer())):
        raise self.make_error("invalid")
    return _number_deserialize(self, value, attr, data, **kwargs)


fields.Number._deserialize = _deserialize_json_number

_boolean_deserialize = fields.Boolean._deserialize


def _deserialize_json_boolean(self, value, attr, data, **kwargs):
    if json_input.get() and not isinstance(value, bool):
        raise self.make_error("invalid")
    return _boolean_deserialize(self, value, attr, data, **kwargs)


fields.Boolean._deserialize = _deserialize_json_boolean


def _check_year(day) -> None:
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(DATE_RANGE_MESSAGE)


_datetime_deserialize = fields.DateTime._deserialize


def _deserialize_sane_datetime(self, value, attr, data, **kwargs):
    result = _datetime_deserialize(self, value, attr, data, **kwargs)
    if not api_input.get():
        return result
    _check_year(result)
    offset = result.utcoffset()
    if offset is not None and abs(offset.total_seconds()) > 14 * 3600 + 59 * 60:
        raise ValidationError(OFFSET_MESSAGE)
    return result


fields.DateTime._deserialize = _deserialize_sane_datetime

_date_deserialize = fields.Date._deserialize


def _deserialize_sane_date(self, value, attr, data, **kwargs):
    result = _date_deserialize(self, value, attr, data, **kwargs)
    if api_input.get():
        _check_year(result)
    return result


fields.Date._deserialize = _deserialize_sane_date


# A refusal is the schema's (the document says it: a type, a bound, a pattern, a choice) or a
# rule's (a service's own validator: a SIRET key, a start before an end, a date in the future),
# which no OpenAPI document can state. The request parser counts the rules' messages here to
# tell a 422 of one kind from the other (``centrale.problems``).
rule_messages: ContextVar[list[int] | None] = ContextVar("rule_messages", default=None)
_in_rule: ContextVar[bool] = ContextVar("in_rule", default=False)


def count_messages(messages) -> int:
    if isinstance(messages, dict):
        return sum(count_messages(value) for value in messages.values())
    if isinstance(messages, (list, tuple)):
        return sum(count_messages(value) for value in messages)
    return 1


def refused_by_rules_only(error: ValidationError) -> bool:
    counted = rule_messages.get()
    return bool(counted) and counted[0] >= count_messages(error.messages) > 0


def _as_rule(function):
    def run(*args, **kwargs):
        token = _in_rule.set(True)
        try:
            return function(*args, **kwargs)
        finally:
            _in_rule.reset(token)

    return run


_store_error = ErrorStore.store_error


def _store_counting_rules(self, messages, *args, **kwargs):
    counted = rule_messages.get()
    if counted is not None and _in_rule.get():
        counted[0] += count_messages(messages)
    return _store_error(self, messages, *args, **kwargs)


ErrorStore.store_error = _store_counting_rules
# @validates_schema and @validates methods: the service's own rules.
Schema._run_validator = _as_rule(Schema._run_validator)
Schema._invoke_field_validators = _as_rule(Schema._invoke_field_validators)


def _validate_builtins_then_rules(self, value):
    """A field's ``validate=``: marshmallow's validators state the schema, any other callable
    is a rule of the service (counted as such)."""
    builtins = [v for v in self.validators if isinstance(v, validate.Validator)]
    rules = [v for v in self.validators if not isinstance(v, validate.Validator)]
    messages = []
    for group, is_rule in ((builtins, False), (rules, True)):
        try:
            validate.And(*group)(value)
        except ValidationError as error:
            counted = rule_messages.get()
            if is_rule and counted is not None:
                counted[0] += count_messages(error.messages)
            messages += error.messages if isinstance(error.messages, list) else [error.messages]
    if messages:
        raise ValidationError(messages)


fields.Field._validate = _validate_builtins_then_rules


# What people write in a form of the portail that other people read (a need, a note, a
# contact): what every text refuses (centrale.text), and markup; a one-line text no line break
# either (no header injection in what becomes an email's subject or a name).
PLAIN = validate.Regexp(f"^[^<>{FORBIDDEN_CLASS}]*$",
                        error="Texte sans balises ni caractères de contrôle attendu.")
ONE_LINE = validate.Regexp(f"^[^<>\\u0009\\u000a\\u000d{FORBIDDEN_CLASS}]*$",
                           error="Une ligne de texte sans balises attendue.")


def Amount(**kwargs) -> fields.Decimal:
    """Euros as a JSON number with two decimals, from 0 to :data:`AMOUNT_MAX`."""
    kwargs.setdefault("validate", validate.Range(min=0, max=AMOUNT_MAX))
    return fields.Decimal(places=2, **kwargs)


def Hours(maximum: int | Decimal, minimum: int | Decimal = 0, **kwargs) -> fields.Decimal:
    """A number of hours as a JSON number with two decimals."""
    kwargs.setdefault("validate", validate.Range(min=minimum, max=maximum))
    return fields.Decimal(places=2, **kwargs)


class Department(fields.String):
    """A département by its code or its name (« 42 », « Loire », « haute-loire »), as its code.

    The document lists the codes and names as written in ``DEPARTMENT_NAMES``: a client
    generated from it sends one of them (the lenient spellings, « haute loire » or « 7 », are
    still read)."""

    def __init__(self, **kwargs):
        metadata = {"enum": sorted(DEPARTMENT_NAMES) + sorted(DEPARTMENT_NAMES.values()),
                    **kwargs.pop("metadata", {})}
        super().__init__(metadata=metadata, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        try:
            return department_from_text(text)
        except InvalidDepartment as error:
            raise ValidationError(str(error)) from None
