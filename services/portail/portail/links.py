"""Links sent to people (invitations, password resets, address checks): built on the portail's
public address (``CENTRALE_PORTAIL_PUBLIC_URL``, :attr:`centrale.settings.Settings.
portail_public_url`), never on the ``Host`` of the request that asked for them — an attacker
asking for a reset with ``Host: evil.example`` would otherwise get the link mailed there."""

from __future__ import annotations

from flask import current_app, url_for


def public_url(endpoint: str, **values) -> str:
    base = current_app.extensions["centrale"].settings.portail_public_url
    return f"{base}{url_for(endpoint, **values)}"
