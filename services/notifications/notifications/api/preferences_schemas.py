from marshmallow import Schema, fields, validate

from ..domain.kinds import Mode

MODES = [mode.value for mode in Mode]


class PreferenceSchema(Schema):
    kind = fields.String()
    label = fields.String()
    event_types = fields.List(fields.String())
    mode = fields.String(metadata={"enum": MODES})
    mode_label = fields.String()
    default_mode = fields.String(metadata={"enum": MODES})
    is_default = fields.Boolean()


class PreferenceInSchema(Schema):
    mode = fields.String(required=True, validate=validate.OneOf(
        MODES, error="Choisissez parmi : immediate (tout de suite), digest (résumé quotidien), "
                     "never (jamais par courriel)."))
