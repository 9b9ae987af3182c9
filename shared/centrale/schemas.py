"""Marshmallow in French: the default validation messages people see, translated once here,
and small field helpers every service's schemas use."""

from __future__ import annotations

from marshmallow import fields

_FRENCH = {
    fields.Field: {
        "required": "Ce champ est obligatoire.",
        "null": "Ce champ ne peut pas être vide.",
        "validator_failed": "Valeur invalide.",
    },
    fields.String: {"invalid": "Une chaîne de caractères est attendue.",
                    "invalid_utf8": "Texte UTF-8 invalide."},
    fields.Integer: {"invalid": "Un nombre entier est attendu.",
                     "not_int": "Un nombre entier est attendu."},
    fields.Number: {"invalid": "Un nombre est attendu.", "too_large": "Nombre trop grand."},
    fields.Decimal: {"special": "Les valeurs spéciales (NaN, infini) sont refusées."},
    fields.Boolean: {"invalid": "Un booléen est attendu."},
    fields.DateTime: {"invalid": "Date et heure invalides (format ISO 8601 attendu).",
                      "invalid_awareness": "Le fuseau horaire doit être précisé.",
                      "format": "Format de date invalide."},
    fields.AwareDateTime: {"invalid_awareness": "Le fuseau horaire doit être précisé."},
    fields.Date: {"invalid": "Date invalide (AAAA-MM-JJ attendu)."},
    fields.Email: {"invalid": "Adresse électronique invalide."},
    fields.URL: {"invalid": "Adresse web invalide."},
    fields.UUID: {"invalid_uuid": "Identifiant UUID invalide."},
    fields.List: {"invalid": "Une liste est attendue."},
    fields.Dict: {"invalid": "Un objet est attendu."},
    fields.Nested: {"type": "Un objet est attendu."},
}

for field_class, messages in _FRENCH.items():
    field_class.default_error_messages = {**field_class.default_error_messages, **messages}

UNKNOWN_FIELD_MESSAGE = "Champ inconnu."

from marshmallow import Schema  # noqa: E402 — after the field messages above

Schema._default_error_messages = {
    **Schema._default_error_messages,
    "type": "Type de données invalide.",
    "unknown": UNKNOWN_FIELD_MESSAGE,
}


# PostgreSQL text cannot hold NUL characters: refuse them where every string enters, with a
# field error, rather than fail later in the database.
_string_deserialize = fields.String._deserialize


def _deserialize_without_nul(self, value, attr, data, **kwargs):
    result = _string_deserialize(self, value, attr, data, **kwargs)
    if isinstance(result, str) and "\x00" in result:
        from marshmallow import ValidationError

        raise ValidationError("Caractère nul interdit.")
    return result


fields.String._deserialize = _deserialize_without_nul
