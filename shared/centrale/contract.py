"""Every service keeps the contract its OpenAPI document states: what the document promises is
what the code does, and what the code refuses the document says.

- **Requests** (the request parser every blueprint uses): a required JSON body that is missing
  is refused (422), a body of another type too (415), a PATCH that changes nothing (``{}``) too;
  JSON nested deeper than :data:`MAX_JSON_DEPTH` is refused (400) before anything parses it
  recursively; every API input is read with the bounds of :mod:`centrale.schemas`.
- **Paths**: an integer in a path lies within PostgreSQL's bigint (beyond it, 404).
- **Responses**: amounts and other decimals are JSON numbers; errors are
  ``application/problem+json``, and documented so.
- **The document** (:func:`keep_the_contract`): error responses as ``application/problem+json``
  with their schema; ``X-Pagination`` as what it is, a JSON object in a header; every text of a
  request with the pattern refusing control characters, every integer within bigint, every date
  within the years accepted, every PATCH body with at least one property.
"""

from __future__ import annotations

import copy
import re
from decimal import Decimal

import marshmallow as ma
from flask import Flask, request
from flask.json.provider import DefaultJSONProvider
from flask_smorest import abort
from flask_smorest.arguments import ArgumentsMixin
from flask_smorest.pagination import PaginationMixin, PaginationParameters
from webargs.core import missing
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.routing import IntegerConverter

from .problems import PROBLEM_JSON
from .schemas import (BIGINT_MAX, BIGINT_MIN, DATE_PATTERN, DATE_TIME_PATTERN,
                      INVALID_JSON_MESSAGE, TEXT_PATTERN, api_input, json_input,
                      refused_by_rules_only, rule_messages)

MAX_JSON_DEPTH = 32
# A page past this is past any data; beyond, (page - 1) × page size would leave bigint.
PAGE_MAX = 1_000_000
BODY_REQUIRED_MESSAGE = "Le corps de la requête (JSON) est obligatoire."
NOTHING_TO_CHANGE_MESSAGE = "Indiquez au moins un champ à modifier."
_STRING_OR_BRACKET = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]', re.DOTALL)


def json_depth_exceeds(body: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether ``body`` (JSON text) nests arrays and objects deeper than ``limit``, found by one
    scan of its brackets outside strings — no recursion, whatever the input."""
    depth = 0
    for match in _STRING_OR_BRACKET.finditer(body):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            if depth > limit:
                return True
        elif token in (b"]", b"}"):
            depth -= 1
    return False


class ContractParser(FlaskParser):
    """webargs' Flask parser, keeping the contract above (see the module's docstring)."""

    def parse(self, *args, **kwargs):
        token, counting = api_input.set(True), rule_messages.set([0])
        try:
            return super().parse(*args, **kwargs)
        finally:
            api_input.reset(token)
            rule_messages.reset(counting)

    def _on_validation_error(self, error, *args, **kwargs):
        # Read by centrale.problems: a 422 the service's rules alone gave.
        error.refused_by_rules_only = refused_by_rules_only(error)
        return super()._on_validation_error(error, *args, **kwargs)

    def load_json(self, req, schema):
        if not is_json_request(req) and req.get_data(cache=True):
            abort(415, message="Un corps JSON (application/json) est attendu.")
        return super().load_json(req, schema)

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        abort(400, exc=error, messages={"json": [INVALID_JSON_MESSAGE]})

    def _process_location_data(self, location_data, schema, req, location, unknown, validators):
        if location == "json" and location_data is missing:
            raise ma.ValidationError(BODY_REQUIRED_MESSAGE)
        if location == "json" and req.method == "PATCH" and location_data == {}:
            raise ma.ValidationError(NOTHING_TO_CHANGE_MESSAGE)
        token = json_input.set(location == "json")
        try:
            data = super()._process_location_data(location_data, schema, req, location,
                                                  unknown, validators)
        finally:
            json_input.reset(token)
        if isinstance(data, PaginationParameters) and data.page > PAGE_MAX:
            raise ma.ValidationError({"page": [f"Au plus la page {PAGE_MAX}."]})
        return data


# flask-smorest's blueprints share two parser instances, made when it is imported (and used by
# decorators when each service's routes are imported): they become ours whatever the order.
ArgumentsMixin.ARGUMENTS_PARSER.__class__ = ContractParser
PaginationMixin.PAGINATION_ARGUMENTS_PARSER.__class__ = ContractParser


class BoundedIntegerConverter(IntegerConverter):
    """``<int:…>`` within bigint: a larger id is no resource (404), never a database error."""

    def __init__(self, map, fixed_digits=0, min=None, max=BIGINT_MAX, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class ContractJSONProvider(DefaultJSONProvider):
    """Decimals leave as JSON numbers (see ``centrale.schemas``: at most 14 significant digits,
    exact through a double)."""

    ensure_ascii = False
    sort_keys = False

    @staticmethod
    def default(value):
        if isinstance(value, Decimal):
            return float(value)
        return DefaultJSONProvider.default(value)


def refuse_deep_json():
    """Before any view: a JSON body nested too deep is refused, whichever code would parse it."""
    if request.is_json and json_depth_exceeds(request.get_data(cache=True)):
        abort(400, message=f"JSON trop imbriqué (au plus {MAX_JSON_DEPTH} niveaux).")


def install(app: Flask) -> None:
    """What the app needs before its blueprints are registered."""
    app.json = ContractJSONProvider(app)
    app.url_map.converters["int"] = BoundedIntegerConverter


def install_document(api) -> None:
    """Make ``api``'s OpenAPI document say what the service does (see :func:`keep_the_contract`).
    Call it before registering the blueprints (their fields are converted then)."""
    api.ma_plugin.converter.add_attribute_function(field_attributes)
    produce = api.spec.to_dict
    api.spec.to_dict = lambda: keep_the_contract(produce())


# What marshmallow's URL validator accepts, narrowed to what a pattern can say (http and https,
# a host name with its top-level domain, an optional port and path).
URL_PATTERN = ("^https?://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\\.)+[A-Za-z]{2,6}"
               "(:[0-9]{1,5})?(/([A-Za-z0-9._~!$&'()*+,;=:@/?-]|%[0-9A-Fa-f]{2})*)?$")


def field_attributes(self, field, ret, **kwargs) -> dict:
    """What apispec leaves out of a field's schema: exclusive bounds, a URL's shape, the keys a
    dictionary admits."""
    extra = {}
    for validator in field.validators:
        if isinstance(validator, ma.validate.Range):
            if validator.min is not None and not validator.min_inclusive:
                extra["exclusiveMinimum"] = True
            if validator.max is not None and not validator.max_inclusive:
                extra["exclusiveMaximum"] = True
    if isinstance(field, ma.fields.Url):
        extra.update(format="uri", pattern=URL_PATTERN)
    if isinstance(field, ma.fields.Dict) and field.key_field is not None:
        choices = [validator.choices for validator in field.key_field.validators
                   if isinstance(validator, ma.validate.OneOf)]
        if choices:
            values = ret.get("additionalProperties", {})
            extra.update(properties={key: copy.deepcopy(values) for key in choices[0]},
                         additionalProperties=False)
    return extra


def keep_the_contract(document: dict) -> dict:
    document = copy.deepcopy(document)
    components = document.setdefault("components", {})
    schemas = components.get("schemas", {})
    for response in components.get("responses", {}).values():
        content = response.get("content") or {}
        if "application/json" in content:
            content[PROBLEM_JSON] = content.pop("application/json")
    if "headers" in components and "PAGINATION" in components["headers"]:
        header = components["headers"]["PAGINATION"]
        schema = header.pop("schema", None) or {"$ref": "#/components/schemas/PaginationMetadata"}
        header["description"] = ("Pagination : un objet JSON (total, total_pages, page, "
                                 "first_page, last_page, previous_page, next_page).")
        header["content"] = {"application/json": {"schema": schema}}
    bounded: set[str] = set()
    for operations in document.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict):
                continue
            _form_fields_into_the_body(operation, schemas)
            for parameter in operation.get("parameters", []):
                if isinstance(parameter, dict) and "schema" in parameter:
                    if parameter.get("in") == "query" and parameter.get("name") == "page":
                        parameter["schema"].setdefault("maximum", PAGE_MAX)
                    _bound(parameter["schema"], schemas, bounded)
            body = operation.get("requestBody", {}).get("content", {})
            for media in body.values():
                schema = media.get("schema", {})
                _bound(schema, schemas, bounded)
                if method == "patch":
                    _target(schema, schemas).setdefault("minProperties", 1)
            for status, response in operation.get("responses", {}).items():
                content = response.get("content") or {}
                if status[0] in "45" and "application/json" in content:
                    content[PROBLEM_JSON] = content.pop("application/json")
    return document


def _form_fields_into_the_body(operation: dict, schemas: dict) -> None:
    """flask-smorest writes the fields of a form beside its files as ``formData`` parameters
    (OpenAPI 2): in OpenAPI 3 they are properties of the one multipart body."""
    form = [p for p in operation.get("parameters", []) if p.get("in") == "formData"]
    if not form:
        return
    operation["parameters"] = [p for p in operation["parameters"] if p.get("in") != "formData"]
    content = operation.setdefault("requestBody", {"required": True}).setdefault(
        "content", {})
    media = content.setdefault("multipart/form-data", {})
    files = copy.deepcopy(_target(media.get("schema", {}), schemas))
    merged = {"type": "object", "properties": dict(files.get("properties", {})),
              "required": list(files.get("required", []))}
    for parameter in form:
        merged["properties"][parameter["name"]] = parameter["schema"]
        if parameter.get("required"):
            merged["required"].append(parameter["name"])
    for name, schema in merged["properties"].items():
        # A form has no null: a field left out says nothing.
        schema = {k: v for k, v in schema.items() if k not in ("nullable", "default")}
        if "enum" in schema:
            schema["enum"] = [value for value in schema["enum"] if value is not None]
        merged["properties"][name] = schema
    if not merged["required"]:
        del merged["required"]
    merged["additionalProperties"] = False  # webargs refuses unknown form fields
    media["schema"] = merged


def _target(schema: dict, schemas: dict) -> dict:
    ref = schema.get("$ref", "")
    return schemas.get(ref.rsplit("/", 1)[-1], schema) if ref else schema


def _bound(schema: dict, schemas: dict, seen: set[str]) -> None:
    """Write into a request's schema the bounds every API input is read with."""
    ref = schema.get("$ref")
    if ref:
        name = ref.rsplit("/", 1)[-1]
        if name not in seen and name in schemas:
            seen.add(name)
            _bound(schemas[name], schemas, seen)
        return
    for key in ("allOf", "anyOf", "oneOf"):
        for part in schema.get(key, []):
            _bound(part, schemas, seen)
    kinds = schema.get("type")
    kinds = set(kinds) if isinstance(kinds, list) else {kinds}
    if "string" in kinds and "enum" not in schema and "pattern" not in schema:
        pattern = {"date-time": DATE_TIME_PATTERN, "date": DATE_PATTERN,
                   None: TEXT_PATTERN}.get(schema.get("format"))
        if pattern:
            schema["pattern"] = pattern
    if "integer" in kinds:
        schema.setdefault("minimum", BIGINT_MIN)
        schema.setdefault("maximum", BIGINT_MAX)
    for key in ("anyOf", "oneOf"):
        for index, part in enumerate(schema.get(key, [])):
            if part == {"type": "object", "nullable": True}:
                # apispec's way of writing a nullable Nested in OpenAPI 3.0 admits any object:
                # null is the only other value the schema accepts.
                schema[key][index] = {"nullable": True, "enum": [None]}
    for part in (schema.get("items"), schema.get("additionalProperties")):
        if isinstance(part, dict):
            _bound(part, schemas, seen)
    for part in (schema.get("properties") or {}).values():
        _bound(part, schemas, seen)
