"""The client's address behind proxies, once for every web process: the peer's address, unless
the peer is a proxy listed in ``CENTRALE_FORWARDED_ALLOW_IPS`` (the setting gunicorn reads for
the same purpose); then what those proxies wrote in ``X-Forwarded-For``. A client that writes
``X-Forwarded-For`` itself is not believed."""

from __future__ import annotations

import ipaddress

DEFAULT_TRUSTED = "127.0.0.1,::1"


def trusted_proxies(setting: str) -> list | None:
    """``CENTRALE_FORWARDED_ALLOW_IPS`` (gunicorn's own setting): addresses or networks,
    comma-separated; ``*`` trusts every peer (None)."""
    entries = [entry.strip() for entry in setting.split(",") if entry.strip()]
    if "*" in entries:
        return None
    return [ipaddress.ip_network(entry, strict=False) for entry in entries]


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip().strip("[]"))
    except ValueError:
        return None


def client_address(peer: str | None, forwarded_for: str | None, trusted: list | None) -> str:
    """The client's address: the peer's, unless the peer is a trusted proxy; then
    ``X-Forwarded-For`` read from the right (each trusted proxy appends whom it saw), the first
    address that is no trusted proxy. Nothing a client writes itself is believed."""
    def is_trusted(address) -> bool:
        return trusted is None or any(address in network for network in trusted)

    current = _address(peer or "")
    if current is None:
        return peer or "?"
    hops = [hop for hop in (forwarded_for or "").split(",") if hop.strip()]
    while is_trusted(current) and hops:
        previous = _address(hops.pop())
        if previous is None:
            break  # not an address: written by the client, not by a proxy
        current = previous
    return str(current)
