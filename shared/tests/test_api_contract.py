"""What every service's API does the same way (``centrale.web``, ``centrale.contract``,
``centrale.schemas``, ``centrale.problems``), on a small app built by the same factory: the
request refusals the OpenAPI document states, and the document stating them."""

from __future__ import annotations

import inspect
import json
from decimal import Decimal

import marshmallow
import pytest
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from centrale.auth import service_token
from centrale.contract import MAX_JSON_DEPTH, json_depth_exceeds
from centrale.problems import PROBLEM_JSON, RULE_PROBLEM, SCHEMA_PROBLEM
from centrale.schemas import AMOUNT_MAX, Amount
from centrale.settings import load_settings
from centrale.testing import TEST_SECRET, bearer
from centrale.web import create_service_app

ENGLISH = ("Must be", "Not a valid", "Missing data", "Unknown field", "Invalid", "Shorter than",
           "Longer than", "Length must", "may not", "does not match", "One or more",
           "cannot be formatted", "greater than", "less than", "Field ")


class ThingIn(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    count = fields.Integer(load_default=None, validate=validate.Range(min=0))
    price = Amount(load_default=None)
    when = fields.AwareDateTime(load_default=None)
    on = fields.Date(load_default=None)
    urgent = fields.Boolean(load_default=False)
    first = fields.Integer(load_default=None)
    last = fields.Integer(load_default=None)

    @validates_schema
    def in_order(self, data, **kwargs):
        if data.get("first") is not None and data.get("last") is not None \
                and data["first"] > data["last"]:
            raise ValidationError("Le premier suit le dernier.", "last")


class ThingPatch(Schema):
    name = fields.String(validate=validate.Length(min=1, max=50))


class ThingOut(Schema):
    id = fields.Integer()
    name = fields.String()
    price = fields.Decimal()


class ListQuery(Schema):
    q = fields.String(load_default=None)


blp = Blueprint("things", __name__, url_prefix="/api/things")


@blp.route("")
class Things(MethodView):
    @blp.arguments(ThingIn)
    @blp.response(201, ThingOut)
    def post(self, payload):
        return {"id": 1, "name": payload["name"], "price": payload["price"]}

    @blp.arguments(ListQuery, location="query")
    @blp.response(200, ThingOut(many=True))
    @blp.paginate()
    def get(self, query, pagination_parameters):
        pagination_parameters.item_count = 1
        return [{"id": 1, "name": "un", "price": Decimal("210000.00")}]


@blp.route("/<int:thing_id>")
class Thing(MethodView):
    @blp.arguments(ThingPatch)
    @blp.response(200, ThingOut)
    def patch(self, payload, thing_id):
        return {"id": thing_id, "name": payload.get("name", "un"), "price": None}


@pytest.fixture(scope="module")
def app():
    settings = load_settings("centrale", {"CENTRALE_TOKEN_SECRET": TEST_SECRET})
    return create_service_app(settings, "Test", "Test", [blp], open_resources=False)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def headers():
    return bearer(service_token(TEST_SECRET, "tests"))


def post(client, headers, body):
    # json.dumps escapes what is not ASCII: a lone surrogate travels as JSON allows it.
    return client.post("/api/things", headers=headers, data=json.dumps(body),
                       content_type="application/json")


def test_deep_json_is_refused_before_any_parsing(client, headers):
    deep = b"[" * 1000 + b"]" * 1000
    response = client.post("/api/things", headers=headers, data=deep,
                           content_type="application/json")
    assert response.status_code == 400
    assert response.mimetype == PROBLEM_JSON
    assert "imbriqué" in response.json["detail"]
    assert json_depth_exceeds(b'{"a": ' * (MAX_JSON_DEPTH + 1) + b"1" + b"}" * (MAX_JSON_DEPTH + 1))
    # Brackets inside strings are text, not depth.
    assert not json_depth_exceeds(json.dumps({"name": "[" * 500}).encode())


def test_a_missing_body_or_another_type_is_refused(client, headers):
    missing = client.post("/api/things", headers=headers)
    assert missing.status_code == 422
    assert missing.json["type"] == SCHEMA_PROBLEM
    assert missing.json["errors"] == {"json": [
        "Le corps de la requête (JSON) est obligatoire."]}
    text = client.post("/api/things", headers=headers, data="name=x", content_type="text/plain")
    assert text.status_code == 415 and text.mimetype == PROBLEM_JSON


def test_a_patch_without_body_or_with_nothing_to_change_is_refused(client, headers):
    assert client.patch("/api/things/3", headers=headers).status_code == 422
    empty = client.patch("/api/things/3", headers=headers, json={})
    assert empty.status_code == 422
    assert empty.json["errors"]["json"] == ["Indiquez au moins un champ à modifier."]
    assert client.patch("/api/things/3", headers=headers, json={"name": "deux"}).json == {
        "id": 3, "name": "deux", "price": None}


def test_ids_beyond_bigint_are_no_resource(client, headers):
    assert client.patch(f"/api/things/{2**63}", headers=headers,
                        json={"name": "x"}).status_code == 404
    assert client.patch(f"/api/things/{2**63 - 1}", headers=headers,
                        json={"name": "x"}).status_code == 200


@pytest.mark.parametrize("text", ["a\u0001b", "nom\x7f", "\x85", "x\ufffe", "\ud800"])
def test_control_characters_are_refused_in_french(client, headers, text):
    response = post(client, headers, {"name": text})
    assert response.status_code == 422
    assert response.json["type"] == SCHEMA_PROBLEM
    [message] = response.json["errors"]["json"]["name"]
    assert message.startswith("Caractère de contrôle interdit")


def test_tabs_and_line_breaks_are_text(client, headers):
    assert post(client, headers, {"name": "deux\tlignes\r\nici"}).status_code == 201


@pytest.mark.parametrize(("body", "field"), [
    ({"when": "1408-05-01T10:00:00+00:09"}, "when"),
    ({"when": "2026-05-01T10:00:00+23:00"}, "when"),
    ({"on": "1969-12-31"}, "on"),
    ({"on": "2200-01-01"}, "on"),
    ({"count": 2**63}, "count"),
    ({"price": "210000.00"}, "price"),
    ({"price": float(AMOUNT_MAX) * 10}, "price"),
    ({"urgent": 1}, "urgent"),
    ({"count": "3"}, "count"),
    ({"count": 1.5}, "count"),
])
def test_values_outside_the_document_are_refused(client, headers, body, field):
    response = post(client, headers, {"name": "un", **body})
    assert response.status_code == 422, response.json
    assert response.json["type"] == SCHEMA_PROBLEM
    assert set(response.json["errors"]["json"]) == {field}


def test_a_rule_of_the_service_is_a_rule_problem(client, headers):
    response = post(client, headers, {"name": "un", "first": 3, "last": 1})
    assert response.status_code == 422
    assert response.json["type"] == RULE_PROBLEM
    assert response.json["errors"]["json"] == {"last": ["Le premier suit le dernier."]}


def test_amounts_are_numbers_both_ways(client, headers):
    created = post(client, headers, {"name": "un", "price": 128400.5})
    assert created.status_code == 201
    assert created.json["price"] == 128400.5
    listed = client.get("/api/things", headers=headers)
    assert listed.json[0]["price"] == 210000
    assert json.loads(listed.headers["X-Pagination"])["total"] == 1


def test_every_message_people_may_read_is_french(client, headers):
    """marshmallow's own messages, field by field and validator by validator."""
    for name, field_class in inspect.getmembers(fields, inspect.isclass):
        if issubclass(field_class, fields.Field):
            for key, message in field_class.default_error_messages.items():
                assert not any(word in message for word in ENGLISH), (name, key, message)
    samples = [(validate.Range(min=1), 0), (validate.Range(max=3), 4), (validate.Range(1, 3), 4),
               (validate.Range(1, 3, min_inclusive=False, max_inclusive=False), 1),
               (validate.Length(min=2), "a"), (validate.Length(max=2), "abc"),
               (validate.Length(2, 3), "a"), (validate.Length(equal=2), "a"),
               (validate.OneOf(["a"]), "b"), (validate.Regexp("^a$"), "b"),
               (validate.Email(), "b"), (validate.URL(), "b"), (validate.Equal(1), 2),
               (validate.ContainsOnly(["a"]), ["b"]), (validate.ContainsNoneOf(["a"]), ["a"]),
               (validate.NoneOf(["a"]), "a")]
    for validator, value in samples:
        with pytest.raises(ValidationError) as refused:
            validator(value)
        assert not any(word in str(refused.value) for word in ENGLISH), (validator, refused.value)
    assert marshmallow.Schema._default_error_messages["unknown"] == "Champ inconnu."
    refused = post(client, headers, {"name": "", "count": -1, "other": 1})
    assert refused.json["errors"]["json"] == {
        "name": ["Entre 1 et 50 élément(s) ou caractère(s)."],
        "count": ["Doit être supérieur ou égal à 0."], "other": ["Champ inconnu."]}
    not_json = client.post("/api/things", headers=headers, data="{",
                           content_type="application/json")
    assert not_json.status_code == 400
    assert not_json.json["errors"] == {"json": ["Corps de requête JSON invalide."]}
    unknown = client.get("/api/nothing-here", headers=headers)
    assert unknown.json["detail"] == "Aucune ressource à cette adresse."
    wrong_method = client.delete("/api/things", headers=headers)
    assert wrong_method.status_code == 405 and "PATCH" not in wrong_method.headers["Allow"]
    assert wrong_method.json["detail"] == "Cette méthode n'est pas acceptée à cette adresse."


def test_the_document_says_all_of_it(client):
    document = client.get("/openapi.json").json
    schemas = document["components"]["schemas"]
    error = document["components"]["responses"]["DEFAULT_ERROR"]["content"]
    assert list(error) == [PROBLEM_JSON]
    assert error[PROBLEM_JSON]["schema"] == {"$ref": "#/components/schemas/Problem"}
    pagination = document["components"]["headers"]["PAGINATION"]
    assert pagination["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/PaginationMetadata"}
    thing = schemas["ThingIn"]["properties"]
    assert thing["name"]["pattern"].startswith("^[^\\u0000-")
    assert thing["when"]["pattern"].startswith("^(19[7-9][0-9]|2[01][0-9]{2})-")
    assert (thing["count"]["minimum"], thing["count"]["maximum"]) == (0, 2**63 - 1)
    assert thing["price"] == {"type": "number", "default": None, "minimum": 0.0,
                              "maximum": float(AMOUNT_MAX), "nullable": True}
    assert schemas["ThingPatch"]["minProperties"] == 1
    [parameter] = document["paths"]["/api/things/{thing_id}"]["parameters"]
    assert parameter["schema"] == {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
    listing = document["paths"]["/api/things"]["get"]
    page = next(p for p in listing["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == 1_000_000
