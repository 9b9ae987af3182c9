"""Login throttling that slows guessing down and never locks anyone out.

A lockout keyed on the account alone (five wrong passwords, fifteen minutes) lets anyone lock
anyone; keyed on the peer address, it makes everyone behind one proxy share a limit. Here every
failed attempt is kept with its account and the client's address (``centrale.forwarded``: the
peer, or what trusted proxies say in ``X-Forwarded-For``), and an attempt must wait after too many
recent failures in any of three scopes — 1, 2, 4… seconds, each scope's wait capped:

- one account from one address (a person mistyping, or a guesser at one place): after
  :data:`PAIR` ``free`` failures, up to 5 minutes;
- one address, whatever the account (one place trying many accounts): after 20, up to 5 minutes;
- one account, whatever the address (guessers spread over many places): after 10, up to 30
  seconds only — so that its owner, elsewhere, waits seconds at most: no one can lock them out.

A refused attempt is not counted (waiting out the delay is enough). An account's successful
login clears its failures before it for the account's scope (its owner is back) and for the
pair of that address, not for other addresses: a guesser elsewhere still waits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

import psycopg

WINDOW = timedelta(minutes=15)


@dataclass(frozen=True)
class Rule:
    free: int  # failures heard without delay
    cap_s: int  # the longest wait the scope can impose

    def wait_s(self, failures: int) -> int:
        """Seconds an attempt waits after the last failure: 1, 2, 4… up to the cap."""
        if failures < self.free:
            return 0
        return min(2 ** min(failures - self.free, 30), self.cap_s)


PAIR = Rule(free=5, cap_s=300)
ADDRESS = Rule(free=20, cap_s=300)
ACCOUNT = Rule(free=10, cap_s=30)


def seconds_to_wait(conn: psycopg.Connection, email: str, address: str) -> int:
    """How long an attempt for ``email`` from ``address`` must still wait (0: heard now)."""
    row = conn.execute(
        """
        WITH since AS (
            SELECT greatest(now() - %(w)s::interval, coalesce(max(at), '-infinity')) AS account,
                   greatest(now() - %(w)s::interval,
                            coalesce(max(at) FILTER (WHERE ip = %(ip)s), '-infinity')) AS pair
            FROM login_attempts WHERE email = %(e)s AND success)
        SELECT count(*) FILTER (WHERE f.email = %(e)s AND f.ip = %(ip)s
                                AND f.at > since.pair) AS pair,
               max(f.at) FILTER (WHERE f.email = %(e)s AND f.ip = %(ip)s
                                 AND f.at > since.pair) AS pair_last,
               count(*) FILTER (WHERE f.ip = %(ip)s) AS address,
               max(f.at) FILTER (WHERE f.ip = %(ip)s) AS address_last,
               count(*) FILTER (WHERE f.email = %(e)s AND f.at > since.account) AS account,
               max(f.at) FILTER (WHERE f.email = %(e)s AND f.at > since.account) AS account_last,
               now() AS now
        FROM since, login_attempts f
        WHERE NOT f.success AND f.at > now() - %(w)s::interval
          AND (f.email = %(e)s OR f.ip = %(ip)s)
        """, {"e": email.strip().lower(), "ip": address, "w": WINDOW}).fetchone()
    if row is None or row["now"] is None:
        return 0
    waits = []
    for rule, failures, last in ((PAIR, row["pair"], row["pair_last"]),
                                 (ADDRESS, row["address"], row["address_last"]),
                                 (ACCOUNT, row["account"], row["account_last"])):
        if last is not None:
            left = rule.wait_s(failures) - (row["now"] - last).total_seconds()
            waits.append(left)
    return max(0, math.ceil(max(waits, default=0)))
