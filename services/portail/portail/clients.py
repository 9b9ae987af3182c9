"""Calls to the four services' APIs, as the person using the portail.

Each call carries a short-lived token naming the person (role, structure, email), so each
service applies its own access rules; the portail never widens them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import requests
from flask import current_app, g

from centrale.auth import issue_token, service_token

TIMEOUT_S = (3, 20)


@dataclass
class ApiError(Exception):
    status: int
    detail: str
    errors: dict = field(default_factory=dict)

    def field_errors(self) -> dict[str, list[str]]:
        """422 field messages by top-level field, flattened across locations (json, query,
        form…) and across nesting (a list's item, an address's postal code): only the French
        sentences, never the structure they came in."""
        flat: dict[str, list[str]] = {}
        for messages in (self.errors or {}).values():
            if isinstance(messages, dict):
                for name, texts in messages.items():
                    flat.setdefault(str(name), []).extend(_sentences(texts))
        return flat

    def nested_errors(self, name: str) -> dict[str, list[str]]:
        """Messages of the sub-fields of one field (``address`` → ``postal_code``…)."""
        found: dict[str, list[str]] = {}
        for messages in (self.errors or {}).values():
            inner = messages.get(name) if isinstance(messages, dict) else None
            if isinstance(inner, dict):
                for key, texts in inner.items():
                    found.setdefault(str(key), []).extend(_sentences(texts))
        return found


def _sentences(texts) -> list[str]:
    if isinstance(texts, str):
        return [texts]
    if isinstance(texts, dict):
        return [s for value in texts.values() for s in _sentences(value)]
    if isinstance(texts, (list, tuple)):
        return [s for value in texts for s in _sentences(value)]
    return [str(texts)]


@dataclass
class Page:
    items: list[dict]
    total: int
    page: int
    total_pages: int


def _token(as_service: bool = False) -> str:
    settings = current_app.extensions["centrale"].settings
    user = g.get("user")
    if as_service or user is None:
        # The portail acting as itself: for the public pages and the forgotten password
        # (nobody is signed in), and what the portail itself asks after its own checks.
        return service_token(settings.token_secret, "portail", ttl_s=120)
    return issue_token(settings.token_secret, "portail", f"user:{user.id}", user.role,
                       structure_id=user.structure_id, email=user.email, ttl_s=120)


def call(service: str, method: str, path: str, *, params: dict | None = None,
         json_body: Any = None, raw: bool = False, form: dict | None = None,
         files: dict | None = None, as_service: bool = False):
    """``form`` and ``files``: a multipart upload (a document for the vault). ``as_service``:
    the portail acting on its own behalf, for the public pages (nobody is signed in) and what
    the portail itself asks (an address check, a relayed message) after its own checks; the
    person's token otherwise."""
    settings = current_app.extensions["centrale"].settings
    url = settings.service_urls[service].rstrip("/") + path
    try:
        response = requests.request(method, url, params=params, json=json_body, data=form,
                                    files=files,
                                    headers={"Authorization": f"Bearer {_token(as_service)}"},
                                    timeout=TIMEOUT_S)
    except requests.RequestException as exc:
        raise ApiError(503, f"Le service « {service} » ne répond pas.") from exc
    if response.status_code >= 400:
        try:
            problem = response.json()
        except ValueError:
            problem = {}
        raise ApiError(response.status_code,
                       problem.get("detail") or problem.get("title") or "Erreur du service.",
                       problem.get("errors") or {})
    if raw:
        return response
    if response.status_code == 204 or not response.content:
        return None
    return response.json()


def get_page(service: str, path: str, params: dict) -> Page:
    response = call(service, "GET", path, params=params, raw=True)
    pagination = json.loads(response.headers.get("X-Pagination") or "{}")
    return Page(items=response.json(), total=pagination.get("total", 0),
                page=pagination.get("page", 1), total_pages=pagination.get("total_pages", 1))


def get_counted(service: str, path: str, params: dict) -> tuple[list[dict], int]:
    """A list and the total number of matching items (its ``X-Total-Count``)."""
    response = call(service, "GET", path, params=params, raw=True)
    items = response.json()
    return items, int(response.headers.get("X-Total-Count") or len(items))
